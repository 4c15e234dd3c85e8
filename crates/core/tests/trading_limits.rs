//! Risk limits and alerts (the 80% / 90% / 100% ladder for every kind of limit), the snapshot
//! of an aligned portfolio, and the heat map.

mod trading_common;

use ballast_core::align::Aligned;
use ballast_core::analysis::portfolio_returns;
use ballast_core::drawdown::{current_drawdown, drawdown_series, wealth};
use ballast_core::trading::heat::{heat_map, heat_score};
use ballast_core::trading::limits::{
    evaluate, grade, snapshot, Alert, AlertKind, ClusterRisk, Limits, PositionRisk, RiskSnapshot,
    Severity,
};
use ballast_core::trading::TradingError;
use ballast_core::var::historical_var;
use trading_common::{build, correlated, iid, Asset};

/// Weights, sums and ratios of a few numbers.
const ARITH_TOL: f64 = 1e-12;
/// "Just below" a level: this relative distance under it (far outside the 1e-9 tolerance).
const BELOW: f64 = 1.0 - 1e-6;

// ---------------------------------------------------------------- snapshots by hand

fn empty() -> RiskSnapshot {
    RiskSnapshot {
        equity: 100_000.0,
        positions: vec![],
        clusters: vec![],
        cluster_threshold: 0.7,
        var_1d: 0.0,
        gross_leverage: 0.0,
        current_drawdown: 0.0,
        notes: vec![],
    }
}

fn position(symbol: &str, weight: f64, sector: Option<&str>) -> PositionRisk {
    PositionRisk {
        symbol: symbol.into(),
        weight,
        sector: sector.map(str::to_string),
        value: weight * 100_000.0,
    }
}

/// A snapshot whose only non-zero figure of `kind` is `x` (a sector of ten positions, so that no
/// position alert is mixed in).
fn with_figure(kind: AlertKind, x: f64) -> RiskSnapshot {
    let mut s = empty();
    match kind {
        AlertKind::Position => s.positions = vec![position("AAPL", x, None)],
        AlertKind::Sector => {
            s.positions = (0..10)
                .map(|i| position(&format!("T{i}"), x / 10.0, Some("Technology")))
                .collect()
        }
        AlertKind::Cluster => {
            s.clusters = vec![ClusterRisk {
                members: vec!["AAPL".into(), "MSFT".into()],
                weight: x,
            }]
        }
        AlertKind::Var => s.var_1d = x,
        AlertKind::Leverage => s.gross_leverage = x,
        AlertKind::Drawdown => s.current_drawdown = x,
    }
    s
}

fn alerts_of(kind: AlertKind, x: f64, limits: &Limits) -> Vec<Alert> {
    evaluate(&with_figure(kind, x), limits)
        .into_iter()
        .filter(|a| a.kind == kind)
        .collect()
}

/// `(severity, limit, level name)` of the single alert of `kind` at `x`, `None` without one.
fn graded(kind: AlertKind, x: f64, limits: &Limits) -> Option<(Severity, f64, String)> {
    let a = alerts_of(kind, x, limits);
    assert!(a.len() <= 1, "{kind:?} at {x}: {a:?}");
    let g = grade(kind, x, limits).map(|g| (g.severity, g.limit, g.level_name));
    let from_alert = a
        .first()
        .map(|a| (a.severity, a.limit, a.level_name.clone()));
    assert_eq!(g, from_alert, "grade and evaluate agree ({kind:?} at {x})");
    from_alert
}

#[track_caller]
fn expect(kind: AlertKind, x: f64, limits: &Limits, want: Option<(Severity, f64, &str)>) {
    let got = graded(kind, x, limits);
    let want = want.map(|(s, l, n)| (s, l, n.to_string()));
    assert_eq!(got, want, "{kind:?} at {x}");
}

/// A two-level limit: 80%, 90%, 100% of the first level, the second level, and just below each.
#[track_caller]
fn two_level_ladder(
    kind: AlertKind,
    limits: &Limits,
    first: f64,
    second: f64,
    top: (Severity, &str),
    literal: [f64; 4],
) {
    use Severity::*;
    // Computed levels and literal decimals (e.g. 0.16 for 80% of 20%) both hit the rungs.
    for (x80, x90, x100, x2) in [
        (0.8 * first, 0.9 * first, first, second),
        (literal[0], literal[1], literal[2], literal[3]),
    ] {
        expect(kind, x80 * BELOW, limits, None);
        expect(kind, x80, limits, Some((Info, first, "80% of warning")));
        expect(
            kind,
            x90 * BELOW,
            limits,
            Some((Info, first, "80% of warning")),
        );
        expect(kind, x90, limits, Some((Warning, first, "90% of warning")));
        expect(
            kind,
            x100 * BELOW,
            limits,
            Some((Warning, first, "90% of warning")),
        );
        expect(kind, x100, limits, Some((Warning, first, "warning")));
        expect(kind, x2 * BELOW, limits, Some((Warning, first, "warning")));
        expect(kind, x2, limits, Some((top.0, second, top.1)));
        expect(kind, x2 * 1.5, limits, Some((top.0, second, top.1)));
    }
}

/// A one-level limit (VaR, leverage): 80%, 90%, 100% of it and just below each.
#[track_caller]
fn one_level_ladder(kind: AlertKind, limits: &Limits, level: f64, literal: [f64; 3]) {
    use Severity::*;
    for (x80, x90, x100) in [
        (0.8 * level, 0.9 * level, level),
        (literal[0], literal[1], literal[2]),
    ] {
        expect(kind, x80 * BELOW, limits, None);
        expect(kind, x80, limits, Some((Info, level, "80% of limit")));
        expect(
            kind,
            x90 * BELOW,
            limits,
            Some((Info, level, "80% of limit")),
        );
        expect(kind, x90, limits, Some((Warning, level, "90% of limit")));
        expect(
            kind,
            x100 * BELOW,
            limits,
            Some((Warning, level, "90% of limit")),
        );
        expect(kind, x100, limits, Some((Critical, level, "limit")));
        expect(kind, x100 * 2.0, limits, Some((Critical, level, "limit")));
    }
}

#[test]
fn position_ladder() {
    let l = Limits::default();
    two_level_ladder(
        AlertKind::Position,
        &l,
        0.20,
        0.30,
        (Severity::Critical, "critical"),
        [0.16, 0.18, 0.20, 0.30],
    );
}

#[test]
fn a_short_position_counts_by_its_size() {
    let l = Limits::default();
    let a = alerts_of(AlertKind::Position, -0.312, &l);
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].severity, Severity::Critical);
    assert!((a[0].figure - 0.312).abs() < ARITH_TOL);
    assert_eq!(
        a[0].message,
        "AAPL (short) is 31.2% of the portfolio, above the 30% critical limit"
    );
}

#[test]
fn sector_ladder() {
    let l = Limits::default();
    two_level_ladder(
        AlertKind::Sector,
        &l,
        0.40,
        0.60,
        (Severity::Critical, "critical"),
        [0.32, 0.36, 0.40, 0.60],
    );
}

#[test]
fn cluster_ladder() {
    let l = Limits::default();
    two_level_ladder(
        AlertKind::Cluster,
        &l,
        0.30,
        0.50,
        (Severity::Critical, "critical"),
        [0.24, 0.27, 0.30, 0.50],
    );
}

#[test]
fn drawdown_ladder_ends_in_a_halt() {
    let l = Limits::default();
    two_level_ladder(
        AlertKind::Drawdown,
        &l,
        0.05,
        0.10,
        (Severity::Halt, "halt"),
        [0.04, 0.045, 0.05, 0.10],
    );
}

#[test]
fn var_ladder() {
    let l = Limits::default();
    one_level_ladder(AlertKind::Var, &l, 0.02, [0.016, 0.018, 0.02]);
}

#[test]
fn leverage_ladder() {
    let l = Limits::default();
    one_level_ladder(AlertKind::Leverage, &l, 1.5, [1.2, 1.35, 1.5]);
}

#[test]
fn ladders_follow_edited_levels() {
    let l = Limits {
        position_warning: 0.10,
        position_critical: 0.15,
        sector_warning: 0.25,
        sector_critical: 0.35,
        cluster_warning: 0.2,
        cluster_critical: 0.4,
        var_limit: 0.01,
        max_gross_leverage: 1.0,
        drawdown_warning: 0.08,
        drawdown_halt: 0.2,
        ..Limits::default()
    };
    let crit = (Severity::Critical, "critical");
    two_level_ladder(
        AlertKind::Position,
        &l,
        0.10,
        0.15,
        crit,
        [0.08, 0.09, 0.10, 0.15],
    );
    two_level_ladder(
        AlertKind::Sector,
        &l,
        0.25,
        0.35,
        crit,
        [0.2, 0.225, 0.25, 0.35],
    );
    two_level_ladder(
        AlertKind::Cluster,
        &l,
        0.2,
        0.4,
        crit,
        [0.16, 0.18, 0.2, 0.4],
    );
    two_level_ladder(
        AlertKind::Drawdown,
        &l,
        0.08,
        0.2,
        (Severity::Halt, "halt"),
        [0.064, 0.072, 0.08, 0.2],
    );
    one_level_ladder(AlertKind::Var, &l, 0.01, [0.008, 0.009, 0.01]);
    one_level_ladder(AlertKind::Leverage, &l, 1.0, [0.8, 0.9, 1.0]);
}

#[test]
fn warning_equal_to_critical_goes_straight_to_critical() {
    let l = Limits {
        position_warning: 0.25,
        position_critical: 0.25,
        ..Limits::default()
    };
    expect(
        AlertKind::Position,
        0.25,
        &l,
        Some((Severity::Critical, 0.25, "critical")),
    );
    expect(
        AlertKind::Position,
        0.24,
        &l,
        Some((Severity::Warning, 0.25, "90% of warning")),
    );
}

#[test]
fn default_limits() {
    let l = Limits::default();
    assert_eq!(l.position_warning, 0.20);
    assert_eq!(l.position_critical, 0.30);
    assert_eq!(l.sector_warning, 0.40);
    assert_eq!(l.sector_critical, 0.60);
    assert_eq!(l.cluster_warning, 0.30);
    assert_eq!(l.cluster_critical, 0.50);
    assert_eq!(
        l.cluster_threshold,
        ballast_core::correlation_analysis::CorrelationParams::default().threshold
    );
    assert_eq!(l.var_limit, 0.02);
    assert_eq!(l.max_gross_leverage, 1.5);
    assert_eq!(l.drawdown_warning, 0.05);
    assert_eq!(l.drawdown_halt, 0.10);
    assert!(l.validate().is_ok());
}

#[test]
fn limits_saved_with_the_workspace_fill_missing_fields_with_defaults() {
    let l: Limits = serde_json::from_str("{}").expect("empty object");
    assert_eq!(l, Limits::default());
    let l: Limits = serde_json::from_str(r#"{"position_critical": 0.25, "var_limit": 0.03}"#)
        .expect("partial object");
    assert_eq!(l.position_critical, 0.25);
    assert_eq!(l.var_limit, 0.03);
    assert_eq!(l.sector_warning, 0.40);
    let back: Limits =
        serde_json::from_str(&serde_json::to_string(&l).expect("to json")).expect("from json");
    assert_eq!(back, l);
}

#[test]
fn editing_a_limit_changes_the_alerts() {
    let mut s = empty();
    s.positions = vec![position("AAPL", 0.25, None)];
    let a = evaluate(&s, &Limits::default());
    assert_eq!(a.len(), 1);
    assert_eq!(a[0].severity, Severity::Warning);
    assert_eq!(a[0].limit, 0.20);
    let tighter = Limits {
        position_critical: 0.25,
        ..Limits::default()
    };
    let a = evaluate(&s, &tighter);
    assert_eq!(a[0].severity, Severity::Critical);
    assert_eq!(a[0].limit, 0.25);
    assert_eq!(
        a[0].message,
        "AAPL is 25.0% of the portfolio, at the 25% critical limit"
    );
    let looser = Limits {
        position_warning: 0.40,
        position_critical: 0.50,
        ..Limits::default()
    };
    assert!(evaluate(&s, &looser).is_empty());
}

#[test]
fn invalid_limits_name_the_field() {
    let field = |l: Limits| match l.validate() {
        Err(TradingError::InvalidInput { field, .. }) => field,
        other => panic!("expected an invalid input, got {other:?}"),
    };
    let d = Limits::default();
    assert_eq!(
        field(Limits {
            position_warning: 0.4,
            ..d
        }),
        "position_warning"
    );
    assert_eq!(
        field(Limits {
            sector_critical: -0.1,
            ..d
        }),
        "sector_critical"
    );
    assert_eq!(
        field(Limits {
            var_limit: f64::NAN,
            ..d
        }),
        "var_limit"
    );
    assert_eq!(
        field(Limits {
            max_gross_leverage: 0.0,
            ..d
        }),
        "max_gross_leverage"
    );
    assert_eq!(
        field(Limits {
            drawdown_warning: 0.2,
            ..d
        }),
        "drawdown_warning"
    );
    assert_eq!(
        field(Limits {
            cluster_threshold: 1.5,
            ..d
        }),
        "cluster_threshold"
    );
    let aligned = calm_portfolio();
    assert!(matches!(
        snapshot(
            &aligned,
            &Limits {
                cluster_warning: 0.6,
                ..d
            }
        ),
        Err(TradingError::InvalidInput { ref field, .. }) if field == "cluster_warning"
    ));
}

#[test]
fn alerts_are_sorted_by_severity_then_how_far_past_the_level() {
    let mut s = empty();
    s.positions = vec![
        position("A", 0.17, None), // Info, 0.85 of 20%
        position("B", 0.31, None), // Critical, 1.033 of 30%
        position("C", 0.45, None), // Critical, 1.5 of 30%
        position("D", 0.22, None), // Warning, 1.1 of 20%
    ];
    s.var_1d = 0.019; // Warning (90%), 0.95 of 2%
    s.current_drawdown = 0.12; // Halt
    let a = evaluate(&s, &Limits::default());
    let order: Vec<(&str, Severity)> = a.iter().map(|a| (a.subject.as_str(), a.severity)).collect();
    assert_eq!(
        order,
        vec![
            ("portfolio", Severity::Halt),
            ("C", Severity::Critical),
            ("B", Severity::Critical),
            ("D", Severity::Warning),
            ("portfolio", Severity::Warning),
            ("A", Severity::Info),
        ]
    );
    assert!(
        a[0].message.contains("trading is halted"),
        "{}",
        a[0].message
    );
}

#[test]
fn messages_are_plain_language() {
    let l = Limits::default();
    let msg = |kind, x| alerts_of(kind, x, &l)[0].message.clone();
    assert_eq!(
        msg(AlertKind::Position, 0.164),
        "AAPL is 16.4% of the portfolio, approaching the 20% warning limit"
    );
    assert_eq!(
        msg(AlertKind::Sector, 0.45),
        "Technology is 45.0% of the portfolio (10 positions), above the 40% sector warning limit"
    );
    assert_eq!(
        msg(AlertKind::Cluster, 0.52),
        "AAPL, MSFT move together (|ρ| ≥ 0.7) and are 52.0% of the portfolio, above the 50% cluster critical limit"
    );
    assert_eq!(
        msg(AlertKind::Var, 0.023),
        "The 1-day 95% VaR is 2.3% of the portfolio (2300.00 in currency), above the 2% VaR limit"
    );
    assert_eq!(
        msg(AlertKind::Leverage, 1.4),
        "Gross leverage is 1.40×, near the 1.5× maximum"
    );
    assert_eq!(
        msg(AlertKind::Drawdown, 0.06),
        "The portfolio is 6.0% below its peak, above the 5% drawdown warning level"
    );
}

#[test]
fn positions_without_a_sector_are_not_a_sector() {
    let mut s = empty();
    s.positions = (0..10)
        .map(|i| position(&format!("X{i}"), 0.09, None))
        .collect();
    assert!(evaluate(&s, &Limits::default())
        .iter()
        .all(|a| a.kind != AlertKind::Sector));
}

// ---------------------------------------------------------------- aligned portfolios

/// A (long 30%) and B (long 20%) correlated at 0.95, C (15%, same sector as A) and D (10%)
/// independent, cash 25%; net value 100,000.
fn calm_portfolio() -> Aligned {
    build(
        vec![
            Asset {
                symbol: "A",
                returns: iid(1, 0.01),
                quantity: 300.0,
                sector: Some("Tech"),
            },
            Asset {
                symbol: "B",
                returns: correlated(1, 2, 0.95, 0.01),
                quantity: 200.0,
                sector: Some("Energy"),
            },
            Asset {
                symbol: "C",
                returns: iid(3, 0.01),
                quantity: 150.0,
                sector: Some("Tech"),
            },
            Asset {
                symbol: "D",
                returns: iid(4, 0.01),
                quantity: 100.0,
                sector: None,
            },
        ],
        25_000.0,
    )
}

#[test]
fn snapshot_of_an_aligned_portfolio() {
    let aligned = calm_portfolio();
    let l = Limits::default();
    let s = snapshot(&aligned, &l).expect("snapshot");
    assert!((s.equity - 100_000.0).abs() < 1e-6);
    let w: Vec<f64> = s.positions.iter().map(|p| p.weight).collect();
    for (got, want) in w.iter().zip([0.30, 0.20, 0.15, 0.10]) {
        assert!((got - want).abs() < ARITH_TOL, "{w:?}");
    }
    assert!((s.gross_leverage - 0.75).abs() < ARITH_TOL);
    let r = portfolio_returns(&aligned);
    assert_eq!(s.var_1d, historical_var(&r, 0.95));
    assert_eq!(
        s.current_drawdown,
        current_drawdown(&drawdown_series(&wealth(&r)))
    );
    assert_eq!(s.clusters.len(), 1, "{:?}", s.clusters);
    assert_eq!(s.clusters[0].members, vec!["A", "B"]);
    assert!((s.clusters[0].weight - 0.50).abs() < ARITH_TOL);

    let a = evaluate(&s, &l);
    let find = |kind, subject: &str| {
        a.iter()
            .find(|x| x.kind == kind && x.subject == subject)
            .map(|x| x.severity)
    };
    assert_eq!(find(AlertKind::Position, "A"), Some(Severity::Critical));
    assert_eq!(find(AlertKind::Position, "B"), Some(Severity::Warning));
    assert_eq!(find(AlertKind::Sector, "Tech"), Some(Severity::Warning));
    assert_eq!(find(AlertKind::Cluster, "A, B"), Some(Severity::Critical));
    // A higher threshold splits the cluster.
    let strict = Limits {
        cluster_threshold: 0.99,
        ..l
    };
    assert!(snapshot(&aligned, &strict)
        .expect("snapshot")
        .clusters
        .is_empty());
    // Serialisable for the app and the CLI.
    let json = serde_json::to_string(&s).expect("json");
    let back: RiskSnapshot = serde_json::from_str(&json).expect("back");
    assert_eq!(back, s);
}

// ---------------------------------------------------------------- heat map

#[test]
fn heat_score_on_hand_numbers() {
    assert!((heat_score(30.0, 30.0) - 1.0).abs() < ARITH_TOL);
    assert!((heat_score(15.0, 0.0) - 0.3).abs() < ARITH_TOL);
    assert!((heat_score(15.0, 15.0) - 0.5).abs() < ARITH_TOL);
    assert!((heat_score(0.0, 30.0) - 0.4).abs() < ARITH_TOL);
    // Negative risk shares (hedges) count as 0.
    assert!((heat_score(10.0, -40.0) - 0.2).abs() < ARITH_TOL);
    // The cap.
    assert_eq!(heat_score(45.0, 30.0), 1.0);
    assert_eq!(heat_score(100.0, 100.0), 1.0);
    assert!(heat_score(29.0, 30.0) < 1.0);
}

#[test]
fn heat_map_of_an_aligned_portfolio() {
    let aligned = calm_portfolio();
    let l = Limits::default();
    let h = heat_map(&aligned, &l).expect("heat map");
    assert_eq!(h.positions.len(), 4);
    let total: f64 = h.positions.iter().map(|c| c.risk_pct).sum();
    assert!((total - 100.0).abs() < 1e-9, "risk shares add up: {total}");
    for c in &h.positions {
        assert!((c.score - heat_score(c.exposure_pct, c.risk_pct)).abs() < ARITH_TOL);
        assert!((0.0..=1.0).contains(&c.score));
    }
    assert!(h.positions.windows(2).all(|w| w[0].score >= w[1].score));
    let a = h.positions.iter().find(|c| c.symbol == "A").expect("A");
    assert!((a.exposure_pct - 30.0).abs() < 1e-9);
    let tech = h.sectors.iter().find(|s| s.sector == "Tech").expect("Tech");
    assert!((tech.weight - 0.45).abs() < ARITH_TOL);
    assert!((tech.gross - 0.45).abs() < ARITH_TOL);
    assert_eq!(tech.positions, 2);
    assert!(tech.concentrated);
    let unclassified = h
        .sectors
        .iter()
        .find(|s| s.sector == "Unclassified")
        .expect("Unclassified");
    assert!(!unclassified.concentrated);
    assert!(h
        .callouts
        .iter()
        .any(|c| c.starts_with("Tech is concentrated")));
    assert!(h
        .callouts
        .iter()
        .any(|c| c.starts_with("A, B move together")));
    assert!(!h.callouts.iter().any(|c| c.starts_with("Energy")));
}
