//! Expected returns, Hierarchical Risk Parity and the heuristic allocations against the
//! `expected_returns` and `hierarchical` sections of `tests/data/reference/optimization_sp500.json`
//! (PyPortfolioOpt 1.6.0, Riskfolio-Lib 7.4.0, skfolio 1.12.2; 20 stocks, 2,515 daily returns),
//! plus property tests on generated data.

mod optim_common;

use ballast_core::clustering::Linkage;
use ballast_core::covariance::{sample_covariance, Matrix};
use ballast_core::optimize::expected_returns::{expected_returns, ReturnModel};
use ballast_core::optimize::heuristics::{equal_weight, inverse_variance, inverse_volatility};
use ballast_core::optimize::hierarchical::hrp;
use ballast_core::optimize::OptError;
use optim_common::{
    assert_rel, assert_weights, by_ticker, data, max_abs_diff, reference, PERIODS_PER_YEAR,
};
use proptest::prelude::*;

/// Arithmetic mean and the EWMA: the reference's own summation order (numpy's pairwise sums,
/// pandas' EWM recursion), so the figures agree to the last bit here (0 measured); the margin
/// covers another platform's rounding.
const MU_REL_TOL: f64 = 1e-15;
/// Compounded figures: a product and a power (`libm`'s `pow` vs numpy's), 3.3e-15 measured.
const COMPOUNDED_REL_TOL: f64 = 1e-14;
/// CAPM: betas from sums in another order than numpy's BLAS covariance, 7.9e-16 measured.
const CAPM_REL_TOL: f64 = 1e-14;
/// HRP weights: same tree, covariance and bisection; rounding of the covariance only
/// (4.2e-17 measured).
const HRP_ABS_TOL: f64 = 1e-15;
/// Linkage heights: correlations from a differently rounded covariance (3.9e-15 measured).
const HEIGHT_REL_TOL: f64 = 1e-13;
/// Inverse volatility / variance: a square root and a normalised sum (4.2e-17 measured).
const HEURISTIC_ABS_TOL: f64 = 1e-15;

fn mu(model: &ReturnModel) -> Vec<f64> {
    match expected_returns(&data().returns, PERIODS_PER_YEAR, model, None, 0.0) {
        Ok(m) => m,
        Err(e) => panic!("{model:?}: {e}"),
    }
}

#[track_caller]
fn check_mu(key: &str, model: ReturnModel, tol: f64) {
    let want = by_ticker(&reference()["expected_returns"][key]["values"]);
    let got = mu(&model);
    let worst = got
        .iter()
        .zip(&want)
        .map(|(g, w)| (g - w).abs() / w.abs())
        .fold(0.0, f64::max);
    eprintln!("{key}: worst relative {worst:.2e}");
    for (i, (g, w)) in got.iter().zip(&want).enumerate() {
        assert_rel(&format!("{key} {}", data().tickers[i]), *g, *w, tol);
    }
}

#[test]
fn arithmetic_mean_matches_pypfopt() {
    check_mu("mean_hist_arith_x252", ReturnModel::Arithmetic, MU_REL_TOL);
}

#[test]
fn geometric_mean_matches_pypfopt_default() {
    check_mu(
        "mean_hist_geometric",
        ReturnModel::Geometric,
        COMPOUNDED_REL_TOL,
    );
}

#[test]
fn ewma_matches_pypfopt() {
    check_mu(
        "ema_span500_arith_x252",
        ReturnModel::Ewma {
            span: 500.0,
            compounding: false,
        },
        MU_REL_TOL,
    );
    check_mu(
        "ema_span500_geometric",
        ReturnModel::Ewma {
            span: 500.0,
            compounding: true,
        },
        COMPOUNDED_REL_TOL,
    );
}

#[test]
fn capm_matches_pypfopt_with_the_equal_weight_proxy() {
    check_mu(
        "capm_eqw_proxy_rf0_geometric",
        ReturnModel::Capm { compounding: true },
        CAPM_REL_TOL,
    );
    check_mu(
        "capm_eqw_proxy_rf0_arith",
        ReturnModel::Capm { compounding: false },
        CAPM_REL_TOL,
    );
}

/// The equal-weight proxy passed as a benchmark gives the same figures; a risk-free rate
/// shifts them by `rf(1 − β)`.
#[test]
fn capm_with_a_benchmark_and_a_risk_free_rate() {
    let r = &data().returns;
    let t = r[0].len();
    let proxy: Vec<f64> = (0..t)
        .map(|k| r.iter().map(|x| x[k]).sum::<f64>() / r.len() as f64)
        .collect();
    let model = ReturnModel::Capm { compounding: false };
    let base = mu(&model);
    let with = expected_returns(r, PERIODS_PER_YEAR, &model, Some(&proxy), 0.0).expect("capm");
    assert!(max_abs_diff(&base, &with) < 1e-15);
    let rf = 0.03;
    let shifted = expected_returns(r, PERIODS_PER_YEAR, &model, Some(&proxy), rf).expect("capm");
    let market = proxy.iter().sum::<f64>() / t as f64 * PERIODS_PER_YEAR;
    for (b, s) in base.iter().zip(&shifted) {
        let beta = b / market;
        assert!((s - (b + rf * (1.0 - beta))).abs() < 1e-14);
    }
    let short = &proxy[1..];
    assert!(matches!(
        expected_returns(r, PERIODS_PER_YEAR, &model, Some(short), 0.0),
        Err(OptError::InvalidInput { ref field, .. }) if field == "benchmark"
    ));
    let flat = vec![0.001; t];
    assert_eq!(
        expected_returns(r, PERIODS_PER_YEAR, &model, Some(&flat), 0.0),
        Err(OptError::ZeroVariance {
            symbol: "the benchmark".to_string()
        })
    );
}

#[test]
fn user_values_are_checked() {
    let n = data().returns.len();
    let values: Vec<f64> = (0..n).map(|i| 0.01 * i as f64).collect();
    let model = ReturnModel::User {
        values: values.clone(),
    };
    assert_eq!(mu(&model), values);
    let short = ReturnModel::User {
        values: values[1..].to_vec(),
    };
    let err = expected_returns(&data().returns, 252.0, &short, None, 0.0).unwrap_err();
    assert!(
        err.to_string()
            .contains("19 value(s) typed for 20 asset(s)"),
        "{err}"
    );
    let mut bad = values;
    bad[4] = f64::NAN;
    let err = expected_returns(
        &data().returns,
        252.0,
        &ReturnModel::User { values: bad },
        None,
        0.0,
    )
    .unwrap_err();
    assert!(err.to_string().contains("asset 5"), "{err}");
}

#[test]
fn invalid_inputs_are_typed_errors() {
    let r = &data().returns;
    let m = ReturnModel::Arithmetic;
    assert!(expected_returns(&[], 252.0, &m, None, 0.0).is_err());
    assert!(matches!(
        expected_returns(&[vec![]], 252.0, &m, None, 0.0),
        Err(OptError::TooFewObservations { .. })
    ));
    assert!(expected_returns(r, 0.0, &m, None, 0.0).is_err());
    assert!(expected_returns(r, f64::NAN, &m, None, 0.0).is_err());
    let ragged = vec![vec![0.01, 0.02], vec![0.01]];
    let err = expected_returns(&ragged, 252.0, &m, None, 0.0).unwrap_err();
    assert!(err.to_string().contains("asset 2 has 1 returns"), "{err}");
    let nan = vec![vec![0.01, f64::NAN]];
    assert!(expected_returns(&nan, 252.0, &m, None, 0.0).is_err());
    let ruin = vec![vec![0.01, -1.0]];
    assert!(expected_returns(&ruin, 252.0, &ReturnModel::Geometric, None, 0.0).is_err());
    let huge = vec![vec![1e300, 1e300]];
    let err = expected_returns(&huge, 252.0, &ReturnModel::Geometric, None, 0.0).unwrap_err();
    assert!(err.to_string().contains("overflows"), "{err}");
    let ewma = ReturnModel::Ewma {
        span: 0.5,
        compounding: false,
    };
    assert!(expected_returns(r, 252.0, &ewma, None, 0.0).is_err());
    let one = vec![vec![0.01], vec![0.02]];
    assert!(matches!(
        expected_returns(
            &one,
            252.0,
            &ReturnModel::Capm { compounding: false },
            None,
            0.0
        ),
        Err(OptError::TooFewObservations {
            need: 2,
            got: 1,
            ..
        })
    ));
    assert!(expected_returns(
        r,
        252.0,
        &ReturnModel::Capm { compounding: false },
        None,
        f64::NAN
    )
    .is_err());
}

#[test]
fn return_model_keys_labels_and_serde() {
    for key in ReturnModel::KEYS {
        let m = ReturnModel::from_key(key).expect("known key");
        assert_eq!(m.key(), key);
        assert!(!m.label().is_empty() && m.convention().ends_with('.'));
        let json = serde_json::to_string(&m).expect("serialise");
        let back: ReturnModel = serde_json::from_str(&json).expect("deserialise");
        assert_eq!(back, m);
    }
    assert_eq!(ReturnModel::from_key("nope"), None);
    assert_eq!(ReturnModel::default(), ReturnModel::Arithmetic);
    assert_eq!(
        serde_json::to_string(&ReturnModel::Ewma {
            span: 500.0,
            compounding: false
        })
        .expect("json"),
        r#"{"kind":"ewma","span":500.0,"compounding":false}"#
    );
    let m: ReturnModel = serde_json::from_str(r#"{"kind":"ewma","span":60}"#).expect("json");
    assert_eq!(
        m,
        ReturnModel::Ewma {
            span: 60.0,
            compounding: false
        }
    );
    assert_eq!(
        ReturnModel::Ewma {
            span: 500.0,
            compounding: false
        }
        .label(),
        "Exponentially weighted mean (span 500)"
    );
}

fn sample_cov() -> Matrix {
    sample_covariance(&data().returns)
}

#[test]
fn hrp_single_matches_pypfopt_riskfolio_and_skfolio() {
    let h = &reference()["hierarchical"]["hrp_single"];
    let res = hrp(&sample_cov(), &data().tickers, Linkage::Single).expect("hrp");
    assert_weights(
        "HRP single vs pypfopt",
        &res.weights,
        &by_ticker(&h["pypfopt"]["weights_full"]),
        HRP_ABS_TOL,
    );
    assert_weights(
        "HRP single vs riskfolio leaf_order=False",
        &res.weights,
        &by_ticker(&h["riskfolio_leaf_order_False"]["weights_full"]),
        HRP_ABS_TOL,
    );
    assert_weights(
        "HRP single vs skfolio optimal_ordering=False",
        &res.weights,
        &by_ticker(&h["skfolio_optimal_ordering_False"]["weights_full"]),
        HRP_ABS_TOL,
    );
    assert!((res.weights.iter().sum::<f64>() - 1.0).abs() < 1e-15);

    let order: Vec<&str> = res
        .leaf_order
        .iter()
        .map(|&i| data().tickers[i].as_str())
        .collect();
    let want: Vec<&str> = h["pypfopt"]["leaf_order"]
        .as_array()
        .expect("leaf order")
        .iter()
        .map(|v| v.as_str().expect("ticker"))
        .collect();
    assert_eq!(order, want);

    let z = h["pypfopt"]["linkage_matrix"].as_array().expect("linkage");
    assert_eq!(z.len(), res.dendrogram.merges.len());
    for (row, m) in z.iter().zip(&res.dendrogram.merges) {
        let row: Vec<f64> = row
            .as_array()
            .expect("row")
            .iter()
            .map(|v| v.as_f64().expect("number"))
            .collect();
        assert_eq!(
            (m.a as f64, m.b as f64, m.size as f64),
            (row[0], row[1], row[3])
        );
        assert_rel("linkage height", m.height, row[2], HEIGHT_REL_TOL);
    }
}

/// HRP is scale-free: the annualised covariance gives the same weights.
#[test]
fn hrp_ignores_the_units_of_the_covariance() {
    let daily = sample_cov();
    let mut annual = daily.clone();
    annual.data.iter_mut().for_each(|x| *x *= PERIODS_PER_YEAR);
    for linkage in Linkage::ALL {
        let a = hrp(&daily, &data().tickers, linkage).expect("hrp");
        let b = hrp(&annual, &data().tickers, linkage).expect("hrp");
        assert!(max_abs_diff(&a.weights, &b.weights) < 1e-15, "{linkage:?}");
    }
}

#[test]
fn hrp_errors_name_the_asset() {
    let mut cov = Matrix::zeros(3);
    cov.data[0] = 0.04;
    cov.data[4] = 0.09;
    let symbols: Vec<String> = ["A", "FLAT", "C"].iter().map(|s| s.to_string()).collect();
    // C's variance is 0.
    assert_eq!(
        hrp(&cov, &symbols, Linkage::Single).unwrap_err(),
        OptError::ZeroVariance {
            symbol: "C".to_string()
        }
    );
    cov.data[8] = 0.01;
    cov.data[4] = 0.0;
    assert_eq!(
        hrp(&cov, &symbols, Linkage::Single).unwrap_err(),
        OptError::ZeroVariance {
            symbol: "FLAT".to_string()
        }
    );
    assert!(hrp(&cov, &symbols[..2], Linkage::Single).is_err());
    assert!(hrp(&Matrix::zeros(0), &[], Linkage::Single).is_err());
    let mut asym = Matrix::zeros(2);
    asym.data = vec![1.0, 0.5, -0.5, 1.0];
    assert!(hrp(&asym, &symbols[..2], Linkage::Single).is_err());
    let one = Matrix {
        n: 1,
        data: vec![0.02],
    };
    assert_eq!(
        hrp(&one, &symbols[..1], Linkage::Ward)
            .expect("one asset")
            .weights,
        vec![1.0]
    );
}

#[test]
fn inverse_volatility_and_variance_match_the_reference() {
    let h = &reference()["hierarchical"];
    let cov = sample_cov();
    let iv = inverse_volatility(&cov, &data().tickers).expect("inverse volatility");
    assert_weights(
        "inverse volatility",
        &iv,
        &by_ticker(&h["inverse_volatility"]["weights_full"]),
        HEURISTIC_ABS_TOL,
    );
    let ivar = inverse_variance(&cov, &data().tickers).expect("inverse variance");
    assert_weights(
        "inverse variance",
        &ivar,
        &by_ticker(&h["inverse_variance"]["weights_full"]),
        HEURISTIC_ABS_TOL,
    );
    assert_eq!(equal_weight(4).expect("n = 4"), vec![0.25; 4]);
    assert!(equal_weight(0).is_err());
    let mut flat = cov.clone();
    flat.data[3 * 20 + 3] = 0.0;
    assert_eq!(
        inverse_volatility(&flat, &data().tickers),
        Err(OptError::ZeroVariance {
            symbol: data().tickers[3].clone()
        })
    );
    flat.data[3 * 20 + 3] = -1.0;
    assert!(inverse_variance(&flat, &data().tickers).is_err());
}

/// A random positive-definite covariance `A Aᵀ + δI` of 1–12 assets (entries of `A` of mixed
/// sign, so correlations of both signs), daily scale.
fn pd_cov() -> impl Strategy<Value = Matrix> {
    (1usize..=12, 1usize..=16).prop_flat_map(|(n, k)| {
        (
            proptest::collection::vec(-0.02f64..0.02, n * k),
            1e-7f64..1e-4,
        )
            .prop_map(move |(a, delta)| {
                let mut m = Matrix::zeros(n);
                for i in 0..n {
                    for j in 0..n {
                        let s: f64 = (0..k).map(|l| a[i * k + l] * a[j * k + l]).sum();
                        m.data[i * n + j] = s + if i == j { delta } else { 0.0 };
                    }
                }
                m
            })
    })
}

fn names(n: usize) -> Vec<String> {
    (0..n).map(|i| format!("S{i}")).collect()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 96, ..ProptestConfig::default() })]

    /// HRP weights are positive and sum to 1 for every linkage; the leaf order is a permutation.
    #[test]
    fn hrp_weights_are_positive_and_sum_to_one(cov in pd_cov()) {
        let n = cov.n;
        for linkage in Linkage::ALL {
            let res = hrp(&cov, &names(n), linkage).map_err(|e| TestCaseError::fail(e.to_string()))?;
            prop_assert!(res.weights.iter().all(|&w| w > 0.0 && w <= 1.0), "{:?}", res.weights);
            prop_assert!((res.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
            let mut order = res.leaf_order.clone();
            order.sort_unstable();
            prop_assert_eq!(order, (0..n).collect::<Vec<_>>());
        }
    }

    /// Inverse volatility and inverse variance are positive, sum to 1 and rank the assets by
    /// their variance (inverse variance more extreme than inverse volatility).
    #[test]
    fn inverse_volatility_sums_to_one(cov in pd_cov()) {
        let n = cov.n;
        let iv = inverse_volatility(&cov, &names(n)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        let ivar = inverse_variance(&cov, &names(n)).map_err(|e| TestCaseError::fail(e.to_string()))?;
        prop_assert!((iv.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        prop_assert!((ivar.iter().sum::<f64>() - 1.0).abs() < 1e-12);
        prop_assert!(iv.iter().chain(&ivar).all(|&w| w > 0.0));
        // w_var,i / w_var,j = (w_vol,i / w_vol,j)².
        for i in 0..n {
            for j in 0..n {
                let lhs = ivar[i] / ivar[j];
                let rhs = (iv[i] / iv[j]).powi(2);
                prop_assert!((lhs - rhs).abs() <= 1e-10 * rhs);
            }
        }
    }

    /// Arithmetic is the mean × P; the geometric growth rate per period is at most the
    /// arithmetic mean (AM–GM); span 1 keeps only the last return; the CAPM of the
    /// equal-weight proxy averages to the market's return (Σβ_i/n = 1).
    #[test]
    fn expected_return_invariants(
        r in (1usize..=6, 2usize..=80).prop_flat_map(|(n, t)| {
            proptest::collection::vec(proptest::collection::vec(-0.2f64..0.2, t), n)
        }),
        p in prop_oneof![Just(252.0), Just(52.0), Just(12.0), 1.0f64..400.0],
    ) {
        let t = r[0].len() as f64;
        let ar = expected_returns(&r, p, &ReturnModel::Arithmetic, None, 0.0)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (mu, x) in ar.iter().zip(&r) {
            let want = x.iter().sum::<f64>() / t * p;
            prop_assert!((mu - want).abs() <= 1e-12 * (1.0 + want.abs()));
        }
        // Geometric ≤ arithmetic per period: (Π(1+r))^(1/T) ≤ 1 + mean(r).
        let g = expected_returns(&r, p, &ReturnModel::Geometric, None, 0.0)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (gi, ai) in g.iter().zip(&ar) {
            let per_period = (1.0 + gi).powf(1.0 / p) - 1.0;
            prop_assert!(per_period <= ai / p + 1e-12);
        }
        // EWMA with span 1 puts all the weight on the last period.
        let e1 = expected_returns(&r, p, &ReturnModel::Ewma { span: 1.0, compounding: false }, None, 0.0)
            .map_err(|e| TestCaseError::fail(e.to_string()))?;
        for (ei, x) in e1.iter().zip(&r) {
            let last = x[x.len() - 1] * p;
            prop_assert!((ei - last).abs() <= 1e-12 * (1.0 + last.abs()));
        }
        // CAPM on the equal-weight proxy: the average of the μ_i is the market's return.
        match expected_returns(&r, p, &ReturnModel::Capm { compounding: false }, None, 0.0) {
            Ok(c) => {
                let n = r.len() as f64;
                let market: f64 = (0..r[0].len())
                    .map(|k| r.iter().map(|x| x[k]).sum::<f64>() / n)
                    .sum::<f64>() / t * p;
                let avg = c.iter().sum::<f64>() / n;
                prop_assert!((avg - market).abs() <= 1e-9 * (1.0 + market.abs()));
            }
            Err(OptError::ZeroVariance { .. }) => {}
            Err(e) => return Err(TestCaseError::fail(e.to_string())),
        }
    }

    /// Arbitrary (possibly ragged, non-finite) returns and user values never panic: either
    /// figures or a typed error, and a count that differs from the assets' is always an error.
    #[test]
    fn expected_returns_never_panic(
        r in proptest::collection::vec(
            proptest::collection::vec(prop_oneof![
                8 => -1.5f64..1.5,
                1 => Just(f64::NAN),
                1 => Just(-1.0),
            ], 0..6),
            0..5),
        values in proptest::collection::vec(-1.0f64..1.0, 0..6),
        bench in proptest::collection::vec(-0.5f64..0.5, 0..6),
        span in -2.0f64..50.0,
        p in -10.0f64..400.0,
        rf in -0.1f64..0.1,
    ) {
        let models = [
            ReturnModel::Arithmetic,
            ReturnModel::Geometric,
            ReturnModel::Ewma { span, compounding: false },
            ReturnModel::Ewma { span, compounding: true },
            ReturnModel::Capm { compounding: false },
            ReturnModel::Capm { compounding: true },
            ReturnModel::User { values: values.clone() },
        ];
        for m in &models {
            for b in [None, Some(bench.as_slice())] {
                if let Ok(mu) = expected_returns(&r, p, m, b, rf) {
                    prop_assert_eq!(mu.len(), r.len());
                }
            }
        }
        let user = expected_returns(&r, p, &ReturnModel::User { values: values.clone() }, None, rf);
        prop_assert_eq!(user.is_ok(), values.len() == r.len());
    }
}
