//! Every optimisation result of `optimization_sp500.json` that Ballast offers, through the same
//! `optimize` call the app and the CLI make (sp500 data, 20 assets, 2515 daily returns,
//! arithmetic μ × 252, covariance × 252).

mod optim_common;

use ballast_core::estimators::CovEstimator;
use ballast_core::optimize::expected_returns::ReturnModel;
use ballast_core::optimize::{optimize, Constraints, Market, Objective, OptResult, OptimizeSpec};
use optim_common::*;
use serde_json::Value;

/// Weights against the golden solves (tol 1e-12) with Clarabel at 1e-10: OPTIMIZATION.md's
/// recommended 1e-6 absolute.
const WEIGHT_TOL: f64 = 1e-6;
/// The SOC efficient-risk solve is looser (OPTIMIZATION.md: 2e-6).
const SOC_WEIGHT_TOL: f64 = 2e-6;
/// Objective values, relative.
const OBJECTIVE_REL_TOL: f64 = 1e-8;
/// Risk-parity contributions against 1/n (Newton-polished).
const RC_TOL: f64 = 1e-12;
/// Frontier targets start at the minimum-variance portfolio's return, whose weights are good to
/// ~1e-7, so the targets agree to ~1e-7 relative.
const TARGET_REL_TOL: f64 = 1e-6;

fn market() -> Market {
    let d = data();
    Market {
        symbols: d.tickers.clone(),
        returns: d.returns.clone(),
        periods_per_year: PERIODS_PER_YEAR,
        current: vec![1.0 / 20.0; 20],
        benchmark: None,
    }
}

fn spec(objective: Objective) -> OptimizeSpec {
    OptimizeSpec {
        objective,
        expected_returns: ReturnModel::Arithmetic,
        covariance: CovEstimator::Sample,
        constraints: Constraints::default(),
        risk_free: 0.0,
        beta: 0.95,
    }
}

fn capped(mut s: OptimizeSpec, ub: f64) -> OptimizeSpec {
    s.constraints.max_weight = ub;
    s
}

fn run(s: &OptimizeSpec) -> OptResult {
    optimize(&market(), s).unwrap_or_else(|e| panic!("{:?}: {e}", s.objective))
}

fn golden(section: &str, key: &str) -> &'static Value {
    &reference()[section][key]["golden"]
}

#[track_caller]
fn check(section: &str, key: &str, s: &OptimizeSpec, tol: f64) -> OptResult {
    let g = golden(section, key);
    let r = run(s);
    assert_weights(key, &r.weights, &by_ticker(&g["weights_full"]), tol);
    let sum: f64 = r.weights.iter().sum();
    assert!((sum - 1.0).abs() < 1e-9, "{key}: weights sum {sum}");
    r
}

#[test]
fn minimum_variance_family() {
    let r = check(
        "mean_variance",
        "gmv",
        &spec(Objective::MinVariance),
        WEIGHT_TOL,
    );
    assert_rel(
        "gmv variance",
        r.objective_value,
        num(&golden("mean_variance", "gmv")["objective"]["value"]),
        OBJECTIVE_REL_TOL,
    );
    check(
        "mean_variance",
        "gmv_ub0.2",
        &capped(spec(Objective::MinVariance), 0.2),
        WEIGHT_TOL,
    );
    let mut l2 = spec(Objective::MinVariance);
    l2.constraints.l2_gamma = 0.1;
    check("mean_variance", "gmv_l2_gamma0.1", &l2, WEIGHT_TOL);
    let mut lw = spec(Objective::MinVariance);
    lw.covariance = CovEstimator::LedoitWolf;
    check("mean_variance", "gmv_ledoit_wolf", &lw, WEIGHT_TOL);
    let mut ew = spec(Objective::MinVariance);
    ew.covariance = CovEstimator::Ewma { span: 180.0 };
    check("mean_variance", "gmv_exp_cov_span180", &ew, WEIGHT_TOL);
}

#[test]
fn maximum_sharpe_family() {
    for (key, rf, ub) in [
        ("max_sharpe_rf0", 0.0, 1.0),
        ("max_sharpe_rf0.02", 0.02, 1.0),
        ("max_sharpe_rf0_ub0.2", 0.0, 0.2),
        ("max_sharpe_rf0.02_ub0.2", 0.02, 0.2),
    ] {
        let mut s = capped(spec(Objective::MaxSharpe), ub);
        s.risk_free = rf;
        let r = check("mean_variance", key, &s, WEIGHT_TOL);
        assert_rel(
            key,
            r.objective_value,
            num(&golden("mean_variance", key)["objective"]["value"]),
            OBJECTIVE_REL_TOL,
        );
    }
}

#[test]
fn efficient_return_and_risk() {
    for (key, ub) in [
        ("efficient_return_0.20", 1.0),
        ("efficient_return_0.20_ub0.2", 0.2),
    ] {
        let s = capped(spec(Objective::EfficientReturn { target_return: 0.2 }), ub);
        check("mean_variance", key, &s, WEIGHT_TOL);
    }
    for (key, ub) in [
        ("efficient_risk_0.25", 1.0),
        ("efficient_risk_0.25_ub0.2", 0.2),
    ] {
        let s = capped(
            spec(Objective::EfficientRisk {
                target_volatility: 0.25,
            }),
            ub,
        );
        let r = check("mean_variance", key, &s, SOC_WEIGHT_TOL);
        assert_rel(
            key,
            r.objective_value,
            num(&golden("mean_variance", key)["objective"]["value"]),
            1e-7,
        );
    }
}

#[test]
fn scenario_risk_measures() {
    for (key, obj) in [
        ("min_cvar95", Objective::MinCvar),
        ("min_cdar95", Objective::MinCdar),
        ("min_mad", Objective::MinMad),
        ("max_return_over_cvar95", Objective::MaxCvarRatio),
    ] {
        let r = check("risk_measures", key, &spec(obj), WEIGHT_TOL);
        assert_rel(
            key,
            r.objective_value,
            num(&golden("risk_measures", key)["objective"]["value"]),
            OBJECTIVE_REL_TOL,
        );
    }
}

#[test]
fn equal_risk_contribution() {
    let g = &reference()["risk_parity"]["golden"];
    let r = run(&spec(Objective::RiskParity));
    assert_weights("erc", &r.weights, &by_ticker(&g["weights_full"]), 1e-12);
    for c in &r.stats.risk_contributions {
        assert!((c - 0.05).abs() < RC_TOL, "contribution {c}");
    }
}

/// The 30 return-spaced golden frontier points (weights rounded to 1e-6 in the reference, so
/// the tolerance is the rounding plus the solver's 1e-6).
#[test]
fn mean_variance_frontier_points() {
    use ballast_core::optimize::frontier::{frontier, FrontierKind};
    let pts = reference()["efficient_frontier"]["pypfopt_return_spaced"]["points"]
        .as_array()
        .expect("points");
    let f = frontier(
        &market(),
        &spec(Objective::MinVariance),
        FrontierKind::MeanVariance,
        30,
    )
    .expect("frontier");
    assert_eq!(f.points.len(), pts.len());
    for (p, g) in f.points.iter().zip(pts) {
        let i = g["i"].as_u64().expect("i");
        assert_rel(
            &format!("frontier target {i}"),
            p.target_return,
            num(&g["target_return"]),
            TARGET_REL_TOL,
        );
        assert_weights(
            &format!("frontier point {i}"),
            &p.weights,
            &by_ticker(&g["weights"]),
            WEIGHT_TOL + 5e-7,
        );
        assert_rel(
            &format!("frontier vol {i}"),
            p.stats.volatility,
            num(&g["vol_ann"]),
            1e-7,
        );
    }
    let ms = f.max_sharpe.expect("max sharpe");
    assert_weights(
        "frontier max sharpe",
        &ms.weights,
        &by_ticker(&golden("mean_variance", "max_sharpe_rf0")["weights_full"]),
        WEIGHT_TOL,
    );
    for w in f.points.windows(2) {
        assert!(w[1].stats.volatility >= w[0].stats.volatility - 1e-9);
    }
}
