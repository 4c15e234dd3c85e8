//! Covariance estimators against the reference package (tests/data/reference/covariance_sp500.json,
//! see the README there): pandas' sample covariance and correlation and scikit-learn's
//! Ledoit-Wolf on the 20 sample stocks over the P4 dates, and PyPortfolioOpt's sample,
//! Ledoit-Wolf and `exp_cov(span=180)` matrices (×252) on the last ten years — plus property
//! tests of the invariants (symmetry, PSD, unit diagonal, more assets than observations, no
//! panic on any finite input).

use ballast_core::covariance::{sample_covariance, Matrix};
use ballast_core::estimators::{
    correlation_from_covariance, estimate, estimate_named, ewma_covariance, lambda_from_span,
    ledoit_wolf, min_eigenvalue, nearest_psd, span_from_lambda, CovError, CovEstimator,
};
use ballast_core::prices::{parse_prices, PriceOptions};
use proptest::prelude::*;
use serde_json::Value;
use std::path::PathBuf;

/// Covariance and correlation matrices, Ledoit-Wolf matrix: 1e-9 relative per entry (reference
/// README), or 1e-15 absolute on daily covariances (entries near zero).
const MATRIX_REL_TOL: f64 = 1e-9;
const DAILY_COV_ABS_TOL: f64 = 1e-15;
/// Correlations are O(1): the relative tolerance alone, with a 1e-15 absolute floor.
const CORR_ABS_TOL: f64 = 1e-15;
/// Shrinkage intensity δ and target μ: 1e-9 relative.
const SHRINKAGE_REL_TOL: f64 = 1e-9;
/// Annualisation of the optimisation set's matrices (PyPortfolioOpt `frequency=252`).
const PERIODS_PER_YEAR: f64 = 252.0;
/// PSD within rounding: smallest eigenvalue ≥ −1e-12 × the matrix's scale.
const PSD_TOL: f64 = 1e-12;
/// Symmetry and unit diagonal are exact by construction; allow one rounding step.
const EXACT_TOL: f64 = 1e-12;

fn reference() -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/data/reference/covariance_sp500.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("covariance_sp500.json"))
        .expect("valid json")
}

fn as_matrix(v: &Value) -> Vec<Vec<f64>> {
    v.as_array()
        .expect("matrix rows")
        .iter()
        .map(|row| {
            row.as_array()
                .expect("row")
                .iter()
                .map(|x| x.as_f64().expect("number"))
                .collect()
        })
        .collect()
}

fn num(v: &Value) -> f64 {
    v.as_f64().expect("number")
}

/// The sample prices (symbols in file order) and their dates.
struct Prices {
    symbols: Vec<String>,
    dates: Vec<String>,
    /// assets × dates
    values: Vec<Vec<f64>>,
}

fn sample_prices() -> Prices {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../data/sample/sp500_prices.csv");
    let bytes = std::fs::read(path).expect("sample prices");
    let import = parse_prices("sp500_prices.csv", &bytes, &PriceOptions::default())
        .expect("sample prices parse");
    let dates: Vec<String> = import.series[0]
        .dates
        .iter()
        .map(|d| d.to_string())
        .collect();
    for s in &import.series {
        assert_eq!(s.dates.len(), dates.len(), "{}: complete history", s.symbol);
    }
    Prices {
        symbols: import.series.iter().map(|s| s.symbol.clone()).collect(),
        dates,
        values: import.series.into_iter().map(|s| s.values).collect(),
    }
}

/// `p_t/p_{t−1} − 1` over the prices from index `from` on (pandas `pct_change`, skfolio
/// `prices_to_returns`).
fn simple_returns(prices: &Prices, from: usize) -> Vec<Vec<f64>> {
    prices
        .values
        .iter()
        .map(|p| p[from..].windows(2).map(|w| w[1] / w[0] - 1.0).collect())
        .collect()
}

fn labels(v: &Value) -> Vec<String> {
    v.as_array()
        .expect("labels")
        .iter()
        .map(|x| x.as_str().expect("label").to_string())
        .collect()
}

/// Compare every entry; returns the largest relative deviation (entries passing the absolute
/// floor included) and prints it.
#[track_caller]
fn check_matrix(what: &str, got: &Matrix, want: &[Vec<f64>], rel_tol: f64, abs_tol: f64) -> f64 {
    assert_eq!(got.n, want.len(), "{what}: size");
    let mut worst: f64 = 0.0;
    for (i, row) in want.iter().enumerate() {
        assert_eq!(row.len(), got.n, "{what}: row {i} length");
        for (j, &w) in row.iter().enumerate() {
            let g = got.get(i, j);
            let diff = (g - w).abs();
            let rel = diff / w.abs().max(f64::MIN_POSITIVE);
            assert!(
                rel <= rel_tol || diff <= abs_tol,
                "{what}[{i},{j}]: got {g:.17e}, want {w:.17e} (relative {rel:.2e})"
            );
            worst = worst.max(rel);
        }
    }
    eprintln!("{what}: largest relative deviation {worst:.2e}");
    worst
}

#[track_caller]
fn assert_rel(what: &str, got: f64, want: f64, tol: f64) {
    let rel = (got - want).abs() / want.abs().max(f64::MIN_POSITIVE);
    assert!(
        rel <= tol,
        "{what}: got {got:.17}, want {want:.17} (relative {rel:.2e} > {tol:.0e})"
    );
    eprintln!("{what}: relative deviation {rel:.2e}");
}

fn scaled(m: &Matrix, k: f64) -> Matrix {
    Matrix {
        n: m.n,
        data: m.data.iter().map(|x| x * k).collect(),
    }
}

#[test]
fn p4_universe_sample_covariance_correlation_and_ledoit_wolf() {
    let v = reference();
    let u = &v["universe_P4"];
    let prices = sample_prices();
    assert_eq!(prices.symbols, labels(&u["sample_covariance"]["labels"]));
    assert_eq!(prices.dates[1], u["first_date"].as_str().expect("date"));
    assert_eq!(
        prices.dates.last().map(String::as_str),
        u["last_date"].as_str()
    );
    let r = simple_returns(&prices, 0);
    assert_eq!(r[0].len() as u64, u["n_observations"].as_u64().expect("n"));

    // pandas returns.cov() and returns.corr().
    let sample = estimate(&r, CovEstimator::Sample).expect("sample estimate");
    check_matrix(
        "P4 sample covariance",
        &sample.covariance,
        &as_matrix(&u["sample_covariance"]["values"]),
        MATRIX_REL_TOL,
        DAILY_COV_ABS_TOL,
    );
    check_matrix(
        "P4 sample correlation",
        &sample.correlation,
        &as_matrix(&u["sample_correlation"]["values"]),
        MATRIX_REL_TOL,
        CORR_ABS_TOL,
    );
    assert_eq!(
        sample.covariance,
        sample_covariance(&r),
        "estimate = sample_covariance"
    );
    assert!(!sample.repaired && sample.notes.is_empty() && sample.zero_variance.is_empty());
    assert_eq!(sample.shrinkage, None);

    // scikit-learn LedoitWolf().fit(returns).
    let lw_ref = &u["ledoit_wolf_sklearn"];
    let lw = estimate(&r, CovEstimator::LedoitWolf).expect("ledoit-wolf estimate");
    check_matrix(
        "P4 Ledoit-Wolf covariance",
        &lw.covariance,
        &as_matrix(&lw_ref["values"]),
        MATRIX_REL_TOL,
        DAILY_COV_ABS_TOL,
    );
    check_matrix(
        "P4 Ledoit-Wolf correlation",
        &lw.correlation,
        &as_matrix(&lw_ref["correlation"]),
        MATRIX_REL_TOL,
        CORR_ABS_TOL,
    );
    assert_rel(
        "P4 Ledoit-Wolf delta",
        lw.shrinkage.expect("delta"),
        num(&lw_ref["shrinkage"]),
        SHRINKAGE_REL_TOL,
    );
    assert_rel(
        "P4 Ledoit-Wolf mu",
        lw.shrinkage_target.expect("mu"),
        num(&lw_ref["mu"]),
        SHRINKAGE_REL_TOL,
    );
    let (m, delta, mu) = ledoit_wolf(&r);
    assert_eq!(m, lw.covariance);
    assert_eq!((Some(delta), Some(mu)), (lw.shrinkage, lw.shrinkage_target));
    assert!(!lw.repaired && lw.notes.is_empty());
}

#[test]
fn optimisation_set_sample_ledoit_wolf_and_exp_cov_x252() {
    let v = reference();
    let o = &v["optimization"];
    let prices = sample_prices();
    assert_eq!(prices.symbols, labels(&o["_tickers_order"]));
    // The optimisation returns are the price rows from 2013-01-02 on, differenced; the
    // reference's first and last input rows pin the rebuild bit for bit.
    let from = prices
        .dates
        .iter()
        .position(|d| d == "2013-01-02")
        .expect("2013-01-02 in the sample");
    let r = simple_returns(&prices, from);
    assert_eq!(r[0].len() as u64, o["n_observations"].as_u64().expect("n"));
    for (key, t) in [("first_row", 0), ("last_row", r[0].len() - 1)] {
        let row = o["input_check"][key].as_array().expect("row");
        assert_eq!(row[0], o[if t == 0 { "first_date" } else { "last_date" }]);
        for (i, x) in row[1..].iter().enumerate() {
            let want: f64 = x.as_str().expect("string").parse().expect("number");
            assert_eq!(r[i][t], want, "input {key}, {}", prices.symbols[i]);
        }
    }

    let sample = estimate(&r, CovEstimator::Sample).expect("sample");
    check_matrix(
        "optimisation sample x252",
        &scaled(&sample.covariance, PERIODS_PER_YEAR),
        &as_matrix(&o["sample_x252"]["matrix"]),
        MATRIX_REL_TOL,
        DAILY_COV_ABS_TOL * PERIODS_PER_YEAR,
    );
    let lw_ref = &o["ledoit_wolf_constant_variance_x252"];
    let lw = estimate(&r, CovEstimator::LedoitWolf).expect("ledoit-wolf");
    check_matrix(
        "optimisation Ledoit-Wolf x252",
        &scaled(&lw.covariance, PERIODS_PER_YEAR),
        &as_matrix(&lw_ref["matrix"]),
        MATRIX_REL_TOL,
        DAILY_COV_ABS_TOL * PERIODS_PER_YEAR,
    );
    assert_rel(
        "optimisation Ledoit-Wolf delta",
        lw.shrinkage.expect("delta"),
        num(&lw_ref["shrinkage_delta"]),
        SHRINKAGE_REL_TOL,
    );
    let ew_ref = &o["exp_cov_span180_x252"];
    let ew = estimate(&r, CovEstimator::Ewma { span: 180.0 }).expect("ewma");
    check_matrix(
        "optimisation exp_cov span 180 x252",
        &scaled(&ew.covariance, PERIODS_PER_YEAR),
        &as_matrix(&ew_ref["matrix"]),
        MATRIX_REL_TOL,
        DAILY_COV_ABS_TOL * PERIODS_PER_YEAR,
    );
    assert_eq!(ew.covariance, ewma_covariance(&r, 180.0));
    // The stored eigenvalue ranges, as a check of min_eigenvalue (×252 scales them).
    for (est, key) in [
        (&sample, "sample_x252"),
        (&lw, "ledoit_wolf_constant_variance_x252"),
        (&ew, "exp_cov_span180_x252"),
    ] {
        assert_rel(
            &format!("smallest eigenvalue {key}"),
            min_eigenvalue(&est.covariance) * PERIODS_PER_YEAR,
            num(&o[key]["eig_min"]),
            MATRIX_REL_TOL,
        );
        assert!(
            !est.repaired && est.notes.is_empty(),
            "{key}: {:?}",
            est.notes
        );
    }
}

#[test]
fn names_span_and_lambda() {
    assert_eq!(CovEstimator::Sample.key(), "sample");
    assert_eq!(CovEstimator::LedoitWolf.key(), "ledoit_wolf");
    let ew = CovEstimator::Ewma { span: 180.0 };
    assert_eq!(ew.key(), "ewma");
    assert_eq!(CovEstimator::Sample.label(), "Sample (ddof 1)");
    assert_eq!(
        CovEstimator::LedoitWolf.label(),
        "Ledoit-Wolf (scikit-learn: constant-variance target)"
    );
    assert_eq!(ew.label(), "Exponentially weighted (span 180, λ = 0.98895)");
    assert!(ew.convention().contains("λ = 1 − 2/(span + 1)"));
    assert!(CovEstimator::LedoitWolf
        .convention()
        .contains("min(b², d²)/d²"));
    assert!(CovEstimator::Sample.convention().contains("(T − 1)"));
    assert_eq!(lambda_from_span(180.0), 1.0 - 2.0 / 181.0);
    assert!((span_from_lambda(lambda_from_span(180.0)) - 180.0).abs() < 1e-9);
    assert!((span_from_lambda(0.94) - 32.333_333_333_333).abs() < 1e-9);
    let json = serde_json::to_string(&ew).expect("serialise");
    assert_eq!(
        serde_json::from_str::<CovEstimator>(&json).expect("back"),
        ew
    );
}

#[test]
fn errors_are_plain() {
    assert_eq!(estimate(&[], CovEstimator::Sample), Err(CovError::NoAssets));
    let e = estimate(&[vec![0.1, 0.2, 0.3], vec![0.1, 0.2]], CovEstimator::Sample).unwrap_err();
    assert_eq!(
        e.to_string(),
        "asset 2 has 2 returns but asset 1 has 3: the series must be aligned to the same dates"
    );
    let e = estimate(&[vec![0.1]], CovEstimator::Sample).unwrap_err();
    assert_eq!(e, CovError::TooFewObservations { observations: 1 });
    let e = estimate(&[vec![0.1, f64::NAN]], CovEstimator::LedoitWolf).unwrap_err();
    assert_eq!(
        e.to_string(),
        "asset 1 has a missing or non-finite return at period 2"
    );
    let e = estimate(&[vec![0.1, 0.2]], CovEstimator::Ewma { span: 0.5 }).unwrap_err();
    assert!(matches!(e, CovError::InvalidSpan(_)));
    let e = estimate(&[vec![1e200, -1e200]], CovEstimator::Sample).unwrap_err();
    assert_eq!(e, CovError::Overflow);
}

/// Deterministic pseudo-random returns (a small LCG) for the fixed-size cases.
fn lcg_returns(p: usize, t: usize, seed: u64) -> Vec<Vec<f64>> {
    let mut s = seed;
    let mut next = move || {
        s = s
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        ((s >> 11) as f64 / (1u64 << 53) as f64 - 0.5) * 0.04
    };
    let market: Vec<f64> = (0..t).map(|_| next()).collect();
    (0..p)
        .map(|_| market.iter().map(|m| 0.5 * m + next()).collect())
        .collect()
}

#[test]
fn more_assets_than_observations_is_finite_with_a_note() {
    let r = lcg_returns(30, 10, 7);
    for est in [
        CovEstimator::Sample,
        CovEstimator::LedoitWolf,
        CovEstimator::Ewma { span: 5.0 },
    ] {
        let e = estimate(&r, est).expect("estimate");
        assert!(e.covariance.data.iter().all(|x| x.is_finite()), "{est:?}");
        assert!(e.correlation.data.iter().all(|x| x.is_finite()), "{est:?}");
        assert!(
            e.notes[0].starts_with("more assets (30) than observations (10)"),
            "{est:?}: {:?}",
            e.notes
        );
        assert!(
            !e.repaired,
            "{est:?}: singular but PSD, no repair: {:?}",
            e.notes
        );
        let scale = max_abs_diag(&e.covariance);
        assert!(min_eigenvalue(&e.covariance) >= -PSD_TOL * scale * 30.0);
    }
    let s = estimate(&r, CovEstimator::Sample).expect("sample");
    assert!(s.notes[0].contains("singular; Ledoit-Wolf shrinkage is suggested"));
    // Rank at most T − 1 = 9: the smallest eigenvalues are (numerically) zero.
    assert!(min_eigenvalue(&s.covariance).abs() < 1e-12 * max_abs_diag(&s.covariance) * 30.0);
    // Ledoit-Wolf is positive definite.
    let lw = estimate(&r, CovEstimator::LedoitWolf).expect("lw");
    let delta = lw.shrinkage.expect("delta");
    assert!(delta > 0.0 && delta <= 1.0);
    assert!(min_eigenvalue(&lw.covariance) >= delta * lw.shrinkage_target.expect("mu") * 0.999);
}

fn max_abs_diag(m: &Matrix) -> f64 {
    (0..m.n).map(|i| m.get(i, i).abs()).fold(0.0, f64::max)
}

#[test]
fn zero_variance_asset_is_named_and_has_nan_correlations() {
    let mut r = lcg_returns(4, 50, 11);
    r[2] = vec![0.1; 50]; // constant: its floating-point mean is not exactly 0.1
    for est in [
        CovEstimator::Sample,
        CovEstimator::LedoitWolf,
        CovEstimator::Ewma { span: 20.0 },
    ] {
        let e = estimate(&r, est).expect("estimate");
        assert!(e.covariance.data.iter().all(|x| x.is_finite()), "{est:?}");
        assert_eq!(e.zero_variance, vec![2]);
        assert!(e
            .notes
            .iter()
            .any(|n| n.starts_with("asset 3 has no variance")));
        for j in 0..4 {
            assert!(e.correlation.get(2, j).is_nan() && e.correlation.get(j, 2).is_nan());
            if j != 2 {
                assert_eq!(e.covariance.get(2, j), 0.0, "{est:?}");
            }
        }
        assert_eq!(e.correlation.get(0, 0), 1.0);
        assert!(e.correlation.get(0, 1).is_finite());
    }
    let names: Vec<String> = ["A", "B", "FLAT", "D"]
        .iter()
        .map(|s| s.to_string())
        .collect();
    let e = estimate_named(&r, CovEstimator::Sample, &names).expect("estimate");
    assert_eq!(
        e.notes,
        vec!["FLAT has no variance (its returns are constant): its correlations are undefined"]
    );
    assert_eq!(
        e.covariance,
        estimate(&r, CovEstimator::Sample).expect("same").covariance
    );
}

#[test]
fn nearest_psd_repairs_a_known_indefinite_correlation() {
    // A classic inconsistent correlation matrix (ρ12 = ρ13 = 0.9, ρ23 = −0.9).
    let m = Matrix {
        n: 3,
        data: vec![1.0, 0.9, 0.9, 0.9, 1.0, -0.9, 0.9, -0.9, 1.0],
    };
    assert!(min_eigenvalue(&m) < -0.5);
    let (fixed, changed) = nearest_psd(&m);
    assert!(changed);
    assert!(min_eigenvalue(&fixed) >= -PSD_TOL);
    for i in 0..3 {
        assert_eq!(fixed.get(i, i), 1.0);
    }
    // A PSD matrix comes back untouched.
    let (same, changed) = nearest_psd(&fixed);
    assert!(!changed);
    assert_eq!(same, fixed);
    // A covariance (diagonal not 1): eigenvalue clipping, which only raises the variances.
    // [[2, 3], [3, 2]] has eigenvalues 5 and −1 on (1, 1)/√2 and (1, −1)/√2 → 2.5 everywhere.
    let c = Matrix {
        n: 2,
        data: vec![2.0, 3.0, 3.0, 2.0],
    };
    let (fixed, changed) = nearest_psd(&c);
    assert!(changed);
    assert!(min_eigenvalue(&fixed) >= -PSD_TOL * 5.0);
    for x in &fixed.data {
        assert!((x - 2.5).abs() < 1e-12, "{x}");
    }
}

#[test]
fn correlation_from_covariance_handles_degenerate_variances() {
    let c = Matrix {
        n: 3,
        data: vec![4.0, 2.0, 0.0, 2.0, 1.0, 0.0, 0.0, 0.0, 0.0],
    };
    let r = correlation_from_covariance(&c);
    assert_eq!(r.get(0, 1), 1.0);
    assert_eq!(r.get(0, 0), 1.0);
    assert!(r.get(2, 2).is_nan() && r.get(0, 2).is_nan() && r.get(2, 1).is_nan());
}

// ---------------------------------------------------------------------------------------------
// Properties

/// `p` series of `t` returns in a plausible range, with a common factor so correlations vary.
fn panel(max_p: usize, min_t: usize, max_t: usize) -> impl Strategy<Value = Vec<Vec<f64>>> {
    (1..=max_p, min_t..=max_t).prop_flat_map(|(p, t)| {
        (
            proptest::collection::vec(-0.05f64..0.05, t),
            proptest::collection::vec(proptest::collection::vec(-0.05f64..0.05, t), p),
            proptest::collection::vec(-2.0f64..2.0, p),
        )
            .prop_map(|(m, idio, betas)| {
                idio.into_iter()
                    .zip(betas)
                    .map(|(e, b)| e.iter().zip(&m).map(|(x, f)| x + b * f).collect())
                    .collect()
            })
    })
}

fn estimators() -> impl Strategy<Value = CovEstimator> {
    prop_oneof![
        Just(CovEstimator::Sample),
        Just(CovEstimator::LedoitWolf),
        (1.0f64..400.0).prop_map(|span| CovEstimator::Ewma { span }),
    ]
}

fn symmetric(m: &Matrix) -> bool {
    (0..m.n).all(|i| (0..m.n).all(|j| m.get(i, j) == m.get(j, i) || m.get(i, j).is_nan()))
}

/// A random symmetric matrix with entries in [−1, 1]; `unit_diag` sets its diagonal to 1.
fn symmetric_matrix(unit_diag: bool) -> impl Strategy<Value = Matrix> {
    (2usize..12).prop_flat_map(move |n| {
        proptest::collection::vec(-1.0f64..1.0, n * n).prop_map(move |v| {
            let mut m = Matrix::zeros(n);
            for i in 0..n {
                for j in i..n {
                    let x = if i == j && unit_diag {
                        1.0
                    } else {
                        v[i * n + j]
                    };
                    m.data[i * n + j] = x;
                    m.data[j * n + i] = x;
                }
            }
            m
        })
    })
}

proptest! {
    #[test]
    fn correlation_is_symmetric_unit_diagonal_bounded(r in panel(8, 2, 60), est in estimators()) {
        let e = estimate(&r, est).expect("valid input");
        let c = &e.correlation;
        prop_assert!(symmetric(c));
        for i in 0..c.n {
            if e.zero_variance.contains(&i) {
                prop_assert!(c.get(i, i).is_nan());
                continue;
            }
            prop_assert_eq!(c.get(i, i), 1.0);
            for j in 0..c.n {
                let x = c.get(i, j);
                prop_assert!(x.is_nan() || (-1.0..=1.0).contains(&x), "{}", x);
            }
        }
    }

    #[test]
    fn every_estimate_is_symmetric_psd(r in panel(10, 2, 80), est in estimators()) {
        let e = estimate(&r, est).expect("valid input");
        prop_assert!(symmetric(&e.covariance));
        prop_assert!(e.covariance.data.iter().all(|x| x.is_finite()));
        let scale = max_abs_diag(&e.covariance) * e.covariance.n as f64;
        prop_assert!(min_eigenvalue(&e.covariance) >= -PSD_TOL * scale);
        prop_assert!(!e.repaired, "Gram matrices need no repair: {:?}", e.notes);
        if let Some(delta) = e.shrinkage {
            prop_assert!((0.0..=1.0).contains(&delta));
        }
    }

    #[test]
    fn nearest_psd_of_a_correlation_is_a_correlation(m in symmetric_matrix(true)) {
        let (f, _) = nearest_psd(&m);
        prop_assert!(symmetric(&f));
        prop_assert!(min_eigenvalue(&f) >= -PSD_TOL * f.n as f64);
        for i in 0..f.n {
            prop_assert!((f.get(i, i) - 1.0).abs() <= EXACT_TOL);
            for j in 0..f.n {
                prop_assert!(f.get(i, j).abs() <= 1.0 + EXACT_TOL);
            }
        }
    }

    #[test]
    fn nearest_psd_of_a_symmetric_matrix_is_psd(m in symmetric_matrix(false)) {
        let (f, changed) = nearest_psd(&m);
        prop_assert!(symmetric(&f));
        let scale = m.data.iter().fold(0.0f64, |a, x| a.max(x.abs())) * m.n as f64;
        prop_assert!(min_eigenvalue(&f) >= -PSD_TOL * scale);
        if min_eigenvalue(&m) < -1e-9 * scale {
            prop_assert!(changed, "an indefinite matrix is repaired");
        }
        if changed {
            // Clipping only raises the diagonal.
            for i in 0..m.n {
                prop_assert!(f.get(i, i) >= m.get(i, i) - EXACT_TOL * scale);
            }
        } else {
            prop_assert_eq!(&f, &m);
        }
    }

    #[test]
    fn more_assets_than_observations_stays_finite(
        (p, t) in (11usize..40, 2usize..10),
        seed in any::<u64>(),
        est in estimators(),
    ) {
        let r = lcg_returns(p, t, seed);
        let e = estimate(&r, est).expect("valid input");
        prop_assert!(e.covariance.data.iter().all(|x| x.is_finite()));
        prop_assert!(e.correlation.data.iter().all(|x| x.is_finite()));
        let expected = format!("more assets ({p}) than observations ({t})");
        prop_assert!(e.notes[0].starts_with(&expected));
    }

    #[test]
    fn never_panics_on_finite_input(
        r in (1usize..6, 0usize..12).prop_flat_map(|(p, t)| proptest::collection::vec(
            proptest::collection::vec(
                prop_oneof![
                    Just(0.0),
                    -1.0f64..1.0,
                    proptest::num::f64::NORMAL | proptest::num::f64::SUBNORMAL
                        | proptest::num::f64::ZERO,
                ],
                t,
            ),
            p,
        )),
        est in estimators(),
    ) {
        match estimate(&r, est) {
            Ok(e) => {
                prop_assert!(e.covariance.data.iter().all(|x| x.is_finite()));
                prop_assert!(symmetric(&e.correlation));
                let _ = nearest_psd(&e.covariance);
            }
            Err(e) => prop_assert!(!e.to_string().is_empty()),
        }
        let s = sample_covariance(&r);
        let _ = correlation_from_covariance(&s);
        let _ = min_eigenvalue(&s);
        let _ = nearest_psd(&s);
        let _ = ledoit_wolf(&r);
        let _ = ewma_covariance(&r, 10.0);
    }
}
