//! Every failure the optimiser explains: each gives its plain-language message (checked
//! word for word where the issue states it) and never a panic.

mod optim_common;

use ballast_core::estimators::CovEstimator;
use ballast_core::optimize::{
    fallback, optimize, AssetBound, GroupLimit, Market, Objective, OptError, OptimizeSpec,
};
use optim_common::*;

fn market() -> Market {
    let d = data();
    Market {
        symbols: d.tickers.clone(),
        returns: d.returns.clone(),
        periods_per_year: PERIODS_PER_YEAR,
        current: vec![0.05; 20],
        benchmark: None,
    }
}

fn spec(objective: Objective) -> OptimizeSpec {
    OptimizeSpec {
        objective,
        ..OptimizeSpec::default()
    }
}

fn err(m: &Market, s: &OptimizeSpec) -> OptError {
    match optimize(m, s) {
        Ok(r) => panic!("expected an error, got weights {:?}", r.weights),
        Err(e) => e,
    }
}

#[test]
fn target_return_above_the_reachable_maximum() {
    let mut s = spec(Objective::EfficientReturn {
        target_return: 0.40,
    });
    s.constraints.max_weight = 0.2;
    let e = err(&market(), &s);
    // Five assets at the 20% cap: AMD, MSFT, UNH, BBY and LLY (arithmetic μ × 252).
    let mu = by_ticker(&reference()["expected_returns"]["mean_hist_arith_x252"]["values"]);
    let mut top = mu.clone();
    top.sort_by(|a, b| b.total_cmp(a));
    let max: f64 = top[..5].iter().map(|m| m * 0.2).sum();
    assert_eq!(
        e.to_string(),
        format!(
            "target 40.0% is above the highest return reachable with these constraints, {:.1}%",
            max * 100.0
        )
    );
    match e {
        OptError::TargetReturnTooHigh { target, max: got } => {
            assert_eq!(target, 0.40);
            assert!((got - max).abs() < 1e-7, "{got} vs {max}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn nothing_beats_the_risk_free_rate() {
    let mut s = spec(Objective::MaxSharpe);
    s.risk_free = 0.60;
    let e = err(&market(), &s);
    assert!(matches!(e, OptError::NothingBeatsRiskFree { .. }), "{e:?}");
    assert!(e
        .to_string()
        .starts_with("no portfolio beats the risk-free rate of 60.00%"));
    let mut r = spec(Objective::MaxCvarRatio);
    r.risk_free = 0.60;
    assert!(matches!(
        err(&market(), &r),
        OptError::NothingBeatsRiskFree { .. }
    ));
}

#[test]
fn target_volatility_below_the_minimum() {
    let e = err(
        &market(),
        &spec(Objective::EfficientRisk {
            target_volatility: 0.05,
        }),
    );
    assert!(
        matches!(e, OptError::TargetVolatilityTooLow { .. }),
        "{e:?}"
    );
    assert!(e
        .to_string()
        .contains("is below the lowest volatility reachable with these constraints, 14.2%"));
}

#[test]
fn contradictory_constraints_are_named() {
    // Obvious: 20 assets capped at 2% cannot hold 100%.
    let mut s = spec(Objective::MinVariance);
    s.constraints.max_weight = 0.02;
    let e = err(&market(), &s);
    assert!(
        e.to_string()
            .contains("the maximum weights add up to 40.0%, less than the 100% to invest"),
        "{e}"
    );
    // A group floor above its members' caps.
    let mut g = spec(Objective::MaxSharpe);
    g.constraints.max_weight = 0.1;
    g.constraints.groups = vec![GroupLimit {
        name: "Tech".into(),
        members: vec!["AAPL".into(), "MSFT".into()],
        min: Some(0.3),
        max: None,
    }];
    let e = err(&market(), &g);
    assert!(
        e.to_string().contains(
            "group Tech: floor 30.0% is above what its assets' maximum weights allow (20.0%)"
        ),
        "{e}"
    );
    // Only a solve finds this one: a tech floor of 50% is 40 points from today's 10%, more than
    // a 5% turnover allows.
    let mut t = spec(Objective::MinVariance);
    t.constraints.max_turnover = Some(0.05);
    t.constraints.groups = vec![GroupLimit {
        name: "Tech".into(),
        members: vec!["AAPL".into(), "MSFT".into()],
        min: Some(0.5),
        max: None,
    }];
    let e = err(&market(), &t);
    let text = e.to_string();
    assert!(matches!(e, OptError::Infeasible { .. }), "{e:?}");
    assert!(text.contains("group Tech floor 50.0%"), "{text}");
    assert!(text.contains("maximum turnover 5.0%"), "{text}");
    // Per-asset bounds that cross.
    let mut b = spec(Objective::MinVariance);
    b.constraints.bounds = vec![AssetBound {
        symbol: "KO".into(),
        min: Some(0.3),
        max: Some(0.1),
    }];
    assert!(err(&market(), &b)
        .to_string()
        .contains("KO: minimum weight 30.0% is above its maximum 10.0%"));
}

#[test]
fn singular_covariance_suggests_shrinkage() {
    let mut m = market();
    m.symbols.push("AAPL copy".into());
    m.returns.push(m.returns[0].clone());
    m.current.push(0.0);
    let e = err(&m, &spec(Objective::MinVariance));
    assert!(matches!(e, OptError::SingularCovariance { .. }), "{e:?}");
    let text = e.to_string();
    assert!(text.contains("covariance matrix is singular"), "{text}");
    assert!(text.contains("Ledoit-Wolf"), "{text}");
    // Shrinkage makes it solvable.
    let mut s = spec(Objective::MinVariance);
    s.covariance = CovEstimator::LedoitWolf;
    let r = optimize(&m, &s).expect("Ledoit-Wolf solves it");
    assert!((r.weights.iter().sum::<f64>() - 1.0).abs() < 1e-9);
    // Fewer observations than assets.
    let mut short = market();
    for r in &mut short.returns {
        r.truncate(15);
    }
    let e = err(&short, &spec(Objective::MaxSharpe));
    assert!(
        e.to_string()
            .contains("because there are 15 observations for 20 assets"),
        "{e}"
    );
}

#[test]
fn an_asset_without_variance_is_named() {
    let mut m = market();
    m.returns[3] = vec![0.0; m.returns[3].len()];
    for obj in [
        Objective::MinVariance,
        Objective::RiskParity,
        Objective::InverseVolatility,
        Objective::Hrp {
            linkage: ballast_core::clustering::Linkage::Single,
        },
    ] {
        let e = err(&m, &spec(obj));
        assert_eq!(
            e,
            OptError::ZeroVariance {
                symbol: "BBY".into()
            }
        );
        assert!(e.to_string().starts_with("BBY has no variance"));
    }
    // Equal weight does not need a variance; fallback then uses it.
    assert!(optimize(&m, &spec(Objective::EqualWeight)).is_ok());
    let fb = fallback(
        &m,
        &spec(Objective::MinVariance),
        &err(&m, &spec(Objective::MinVariance)),
    )
    .expect("fallback");
    assert_eq!(fb.label, "Equal weight");
    assert!(fb
        .fallback
        .as_deref()
        .unwrap_or("")
        .starts_with("Fallback: Equal weight"));
}

#[test]
fn fallback_is_labelled_inverse_volatility() {
    let mut s = spec(Objective::MinVariance);
    s.constraints.max_weight = 0.02;
    let e = err(&market(), &s);
    let fb = fallback(&market(), &s, &e).expect("fallback cannot fail");
    assert_eq!(fb.label, "Inverse volatility");
    let text = fb.fallback.expect("labelled");
    assert!(
        text.contains("because the requested optimisation failed"),
        "{text}"
    );
    assert!((fb.weights.iter().sum::<f64>() - 1.0).abs() < 1e-12);
    let inv = by_ticker(&reference()["hierarchical"]["inverse_volatility"]["weights_full"]);
    assert_weights("fallback = inverse volatility", &fb.weights, &inv, 1e-15);
}

#[test]
fn invalid_parameters_are_refused_by_name() {
    let m = market();
    let cases: Vec<(OptimizeSpec, &str)> = vec![
        (
            spec(Objective::EfficientReturn {
                target_return: f64::NAN,
            }),
            "target return",
        ),
        (
            spec(Objective::MaxUtility {
                risk_aversion: -1.0,
            }),
            "risk aversion",
        ),
        (
            spec(Objective::RiskBudget {
                budgets: vec![1.0; 3],
            }),
            "risk budgets",
        ),
        (
            {
                let mut s = spec(Objective::MinVariance);
                s.constraints.min_weight = -0.1;
                s
            },
            "minimum weight",
        ),
        (
            {
                let mut s = spec(Objective::MinVariance);
                s.constraints.bounds = vec![AssetBound {
                    symbol: "NOPE".into(),
                    min: None,
                    max: Some(0.1),
                }];
                s
            },
            "NOPE is not one of the assets",
        ),
        (
            {
                let mut s = spec(Objective::MinCvar);
                s.beta = 1.5;
                s
            },
            "CVaR level",
        ),
    ];
    for (s, want) in cases {
        let e = err(&m, &s);
        assert!(e.to_string().contains(want), "{:?}: {e}", s.objective);
    }
}
