//! Property tests of the risk suite: VaR models, decomposition, attribution, drawdowns and the
//! rolling backtest, on generated portfolios of 2–6 assets with 60–400 periods of returns within
//! ±8% (a common factor plus noise with occasional jumps, so the distribution has fat tails and
//! Cornish-Fisher is sometimes inside its monotone domain and sometimes not), and weights that
//! may include a short and leave cash (`cash = 1 − Σw`, positive or negative).

use ballast_core::align::{Aligned, AlignmentReport, ValuedPosition};
use ballast_core::analysis::{analyze, portfolio_returns, AnalysisParams};
use ballast_core::backtest::rolling_backtest;
use ballast_core::decomposition::{decompose, Decomposition, DecompositionInput};
use ballast_core::frequency::Frequency;
use ballast_core::var::historical_var;
use ballast_core::var_models::{
    closed_form_table, cornish_fisher, ewma, gaussian, historical, VarEstimate, VarModel,
    VarSettings,
};
use chrono::{Duration, NaiveDate};
use proptest::prelude::*;

/// Euler sums of the same terms in another order: 1e-10 relative to the scale of the terms.
const EULER_REL_TOL: f64 = 1e-10;
/// Weak monotonicity and CVaR ≥ VaR: slack for rounding only.
const ORDER_TOL: f64 = 1e-12;
/// Central finite difference of the Gaussian VaR: step and tolerance (truncation error
/// O(h²·∂³VaR) ≈ 1e-9, rounding ≈ 1e-16·VaR/h ≈ 1e-12).
const FD_STEP: f64 = 1e-5;
const FD_TOL: f64 = 1e-5;
/// The same figure computed two ways (covariance matrix vs portfolio series; selection vs sort).
const SAME_FIGURE_REL_TOL: f64 = 1e-12;
const P: f64 = 252.0;
const CONFIDENCES: [f64; 5] = [0.9, 0.95, 0.975, 0.99, 0.995];

/// One return: a bell-shaped body (sum of three uniforms) plus a rare jump; within ±8%.
fn draw() -> impl Strategy<Value = f64> {
    (
        -0.01f64..0.01,
        -0.01f64..0.01,
        -0.01f64..0.01,
        0.0f64..1.0,
        0.02f64..0.05,
    )
        .prop_map(|(a, b, c, u, j)| {
            a + b
                + c
                + if u < 0.03 {
                    -j
                } else if u > 0.985 {
                    j
                } else {
                    0.0
                }
        })
}

/// A generated portfolio.
#[derive(Debug, Clone)]
struct Book {
    /// assets × periods
    returns: Vec<Vec<f64>>,
    weights: Vec<f64>,
    sectors: Vec<Option<String>>,
}

impl Book {
    fn symbols(&self) -> Vec<String> {
        (0..self.weights.len()).map(|i| format!("S{i}")).collect()
    }
    fn portfolio(&self) -> Vec<f64> {
        let t = self.returns[0].len();
        (0..t)
            .map(|k| {
                self.weights
                    .iter()
                    .zip(&self.returns)
                    .map(|(w, r)| w * r[k])
                    .sum()
            })
            .collect()
    }
}

fn book() -> impl Strategy<Value = Book> {
    (2usize..=6, 60usize..=400).prop_flat_map(|(n, t)| {
        (
            proptest::collection::vec(draw(), t),
            proptest::collection::vec(proptest::collection::vec(draw(), t), n),
            proptest::collection::vec(-0.3f64..0.8, n),
            proptest::collection::vec(
                prop_oneof![Just(None), Just(Some("Tech")), Just(Some("Energy"))],
                n,
            ),
        )
            .prop_map(|(factor, noise, weights, sectors)| Book {
                // 0.5·factor + 0.5·noise stays within ±8% and correlates the assets.
                returns: noise
                    .into_iter()
                    .map(|e| {
                        e.iter()
                            .zip(&factor)
                            .map(|(x, f)| 0.5 * f + 0.5 * x)
                            .collect()
                    })
                    .collect(),
                weights,
                sectors: sectors.into_iter().map(|s| s.map(String::from)).collect(),
            })
    })
}

/// An `Aligned` holding the book (daily dates, prices from the returns, no benchmark).
fn aligned_of(book: &Book) -> Aligned {
    let t = book.returns[0].len();
    let start = NaiveDate::from_ymd_opt(2020, 1, 1).expect("date");
    let dates: Vec<NaiveDate> = (0..=t).map(|k| start + Duration::days(k as i64)).collect();
    let prices: Vec<Vec<f64>> = book
        .returns
        .iter()
        .map(|r| {
            let mut p = vec![100.0];
            for x in r {
                let last = *p.last().unwrap_or(&100.0);
                p.push(last * (1.0 + x));
            }
            p
        })
        .collect();
    let symbols = book.symbols();
    let positions = symbols
        .iter()
        .zip(&book.weights)
        .zip(&prices)
        .zip(&book.sectors)
        .map(|(((s, w), p), sec)| ValuedPosition {
            symbol: s.clone(),
            quantity: None,
            price: p[t],
            value: *w,
            weight: *w,
            sector: sec.clone(),
        })
        .collect();
    let cash_weight = 1.0 - book.weights.iter().sum::<f64>();
    Aligned {
        report: AlignmentReport {
            start: dates[0],
            end: dates[t],
            observations: t,
            frequency: Frequency::Daily,
            periods_per_year: P,
            notes: vec![],
            unused_symbols: vec![],
        },
        dates,
        symbols,
        returns: book.returns.clone(),
        prices,
        positions,
        weights: book.weights.clone(),
        cash: cash_weight,
        cash_weight,
        total_value: 1.0,
        benchmark: None,
    }
}

fn settings(confidence: f64, horizon: usize) -> VarSettings {
    VarSettings {
        confidence,
        horizon,
        ..Default::default()
    }
}

fn models(r: &[f64], s: &VarSettings) -> [VarEstimate; 4] {
    [
        historical(r, s),
        gaussian(r, s),
        cornish_fisher(r, s),
        ewma(r, s),
    ]
}

fn decomposition(book: &Book, model: VarModel, s: &VarSettings) -> Decomposition {
    let symbols = book.symbols();
    decompose(
        &DecompositionInput {
            returns: &book.returns,
            weights: &book.weights,
            symbols: &symbols,
            sectors: &book.sectors,
        },
        model,
        s,
    )
}

fn close(a: f64, b: f64, scale: f64, rel: f64) -> bool {
    (a - b).abs() <= rel * scale.abs().max(f64::MIN_POSITIVE)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    /// VaR and CVaR grow (weakly) with the confidence for every closed-form model and CVaR ≥ VaR,
    /// at horizons 1 and 5 — Cornish-Fisher only inside its monotone domain (no flag).
    #[test]
    fn var_and_cvar_grow_with_confidence(b in book()) {
        let r = b.portfolio();
        for h in [1, 5] {
            let table: Vec<[VarEstimate; 4]> =
                CONFIDENCES.iter().map(|c| models(&r, &settings(*c, h))).collect();
            for m in 0..4 {
                let flagged = table.iter().any(|row| row[m].flag.is_some());
                if flagged {
                    prop_assert_eq!(table[0][m].model, VarModel::CornishFisher);
                    continue;
                }
                for k in 0..table.len() {
                    let e = &table[k][m];
                    prop_assert!(e.var.is_finite() && e.cvar.is_finite(), "{:?}", e);
                    prop_assert!(e.cvar >= e.var - ORDER_TOL, "CVaR < VaR: {:?}", e);
                    if k > 0 {
                        let lo = &table[k - 1][m];
                        prop_assert!(lo.var <= e.var + ORDER_TOL, "VaR {:?} vs {:?}", lo, e);
                        prop_assert!(lo.cvar <= e.cvar + ORDER_TOL, "CVaR {:?} vs {:?}", lo, e);
                    }
                }
            }
        }
    }

    /// The Cornish-Fisher expected shortfall is the tail mean of the Cornish-Fisher quantile,
    /// `−(μ_h + σ_h·(1/α)∫_{−∞}^{z} h_CF(u) φ(u) du)`: its closed form against a quadrature.
    #[test]
    fn cornish_fisher_es_is_the_tail_mean_of_the_quantile(b in book(), conf in 0.9f64..0.995, h in 1usize..6) {
        let r = b.portfolio();
        let e = cornish_fisher(&r, &settings(conf, h));
        let hf = h as f64;
        let s = ballast_core::moments::skew_population(&r) / hf.sqrt();
        let k = ballast_core::moments::excess_kurtosis_population(&r) / hf;
        let mu = ballast_core::stats::mean(&r) * hf;
        let sd = (ballast_core::stats::variance(&r, 0) * hf).sqrt();
        let n01 = statrs::distribution::Normal::standard();
        use statrs::distribution::{Continuous, ContinuousCDF};
        let alpha = 1.0 - conf;
        let z = n01.inverse_cdf(alpha);
        let hcf = |u: f64| u + (u * u - 1.0) * s / 6.0 + (u.powi(3) - 3.0 * u) * k / 24.0
            - (2.0 * u.powi(3) - 5.0 * u) * s * s / 36.0;
        // Simpson's rule on [−12, z] (the tail beyond −12 weighs < 1e-30).
        let steps = 20_000;
        let (a, step) = (-12.0, (z + 12.0) / steps as f64);
        let f = |u: f64| hcf(u) * n01.pdf(u);
        let mut acc = f(a) + f(z);
        for j in 1..steps {
            acc += f(a + j as f64 * step) * if j % 2 == 1 { 4.0 } else { 2.0 };
        }
        let tail_mean = acc * step / 3.0 / alpha;
        let want = -(mu + sd * tail_mean);
        prop_assert!((e.cvar - want).abs() < 1e-10 * want.abs().max(1e-3), "{} vs {want}", e.cvar);
        prop_assert!((e.var + mu + hcf(z) * sd).abs() < 1e-15);
    }

    /// Euler: components add up to the totals (positions and sectors), shares to one; the
    /// totals are the closed-form models' figures on the portfolio series; Gaussian marginals
    /// are the gradient of the total.
    #[test]
    fn decomposition_adds_up(b in book()) {
        let r = b.portfolio();
        for model in [VarModel::Historical, VarModel::Gaussian, VarModel::Ewma] {
            for h in [1, 5] {
                let s = settings(0.95, h);
                let d = decomposition(&b, model, &s);
                prop_assert_eq!(d.model, model);
                prop_assert!(d.note.is_none());
                let scale_v: f64 = d.positions.iter().map(|l| l.component_var.abs()).sum::<f64>() + d.var.abs();
                let scale_c: f64 = d.positions.iter().map(|l| l.component_cvar.abs()).sum::<f64>() + d.cvar.abs();
                let sum_v: f64 = d.positions.iter().map(|l| l.component_var).sum();
                let sum_c: f64 = d.positions.iter().map(|l| l.component_cvar).sum();
                prop_assert!(close(sum_v, d.var, scale_v, EULER_REL_TOL), "{model:?} h{h}: Σ {sum_v} vs VaR {}", d.var);
                prop_assert!(close(sum_c, d.cvar, scale_c, EULER_REL_TOL), "{model:?} h{h}: Σ {sum_c} vs CVaR {}", d.cvar);
                let sec_v: f64 = d.sectors.iter().map(|l| l.component_var).sum();
                let sec_c: f64 = d.sectors.iter().map(|l| l.component_cvar).sum();
                prop_assert!(close(sec_v, d.var, scale_v, EULER_REL_TOL));
                prop_assert!(close(sec_c, d.cvar, scale_c, EULER_REL_TOL));
                let sec_w: f64 = d.sectors.iter().map(|l| l.weight).sum();
                prop_assert!((sec_w - b.weights.iter().sum::<f64>()).abs() < 1e-12);
                if d.var.abs() > 1e-6 {
                    let pct: f64 = d.positions.iter().map(|l| l.pct_var).sum();
                    prop_assert!(close(pct, 1.0, scale_v / d.var.abs(), EULER_REL_TOL), "Σ pct {pct}");
                }
                if d.cvar.abs() > 1e-6 {
                    let pct: f64 = d.positions.iter().map(|l| l.pct_cvar).sum();
                    prop_assert!(close(pct, 1.0, scale_c / d.cvar.abs(), EULER_REL_TOL), "Σ pct {pct}");
                }
                // Component = weight × marginal, for each position.
                for (l, w) in d.positions.iter().zip(&b.weights) {
                    prop_assert!(close(l.component_var, w * l.marginal_var, l.component_var.abs() + 1e-300, 1e-12));
                }
                // The totals are the models' figures on the portfolio's own returns.
                let direct = match model {
                    VarModel::Historical => historical(&r, &s),
                    VarModel::Gaussian => gaussian(&r, &s),
                    _ => ewma(&r, &s),
                };
                let tol = if model == VarModel::Historical { SAME_FIGURE_REL_TOL } else { 1e-9 };
                prop_assert!(close(d.var, direct.var, direct.var.abs() + direct.cvar.abs(), tol), "{model:?} h{h}: {} vs {}", d.var, direct.var);
                prop_assert!(close(d.cvar, direct.cvar, direct.cvar.abs() + direct.var.abs(), tol), "{model:?} h{h}: {} vs {}", d.cvar, direct.cvar);
                // Historical incremental VaR: the total minus the VaR with the position closed.
                if model == VarModel::Historical && h == 1 {
                    for (i, l) in d.positions.iter().enumerate() {
                        let mut w = b.weights.clone();
                        w[i] = 0.0;
                        let without = Book { weights: w, ..b.clone() }.portfolio();
                        let want = d.var - historical_var(&without, 0.95);
                        prop_assert!((l.incremental_var - want).abs() < 1e-12, "{} vs {want}", l.incremental_var);
                    }
                }
            }
        }
    }

    /// Gaussian marginal VaR and CVaR are ∂/∂w_i of the totals (central finite differences).
    #[test]
    fn gaussian_marginals_are_the_gradient(b in book()) {
        let sd = ballast_core::stats::std_dev(&b.portfolio());
        prop_assume!(sd > 1e-3);
        for h in [1, 5] {
            let s = settings(0.99, h);
            let d = decomposition(&b, VarModel::Gaussian, &s);
            for (i, l) in d.positions.iter().enumerate() {
                let at = |delta: f64| {
                    let mut w = b.weights.clone();
                    w[i] += delta;
                    gaussian(&Book { weights: w, ..b.clone() }.portfolio(), &s)
                };
                let (up, down) = (at(FD_STEP), at(-FD_STEP));
                let fd_var = (up.var - down.var) / (2.0 * FD_STEP);
                let fd_cvar = (up.cvar - down.cvar) / (2.0 * FD_STEP);
                prop_assert!((l.marginal_var - fd_var).abs() < FD_TOL, "h{h} {i}: {} vs {fd_var}", l.marginal_var);
                prop_assert!((l.marginal_cvar - fd_cvar).abs() < FD_TOL, "h{h} {i}: {} vs {fd_cvar}", l.marginal_cvar);
            }
        }
    }

    /// A portfolio holding one asset at weight 1 (the others at 0, no cash) has that asset's
    /// VaR/CVaR under every closed-form model and its whole metric suite; its decomposition puts
    /// the whole VaR on that asset.
    #[test]
    fn single_asset_portfolio_is_the_asset(b in book(), pick in 0usize..6, conf in 0.9f64..0.995) {
        let k = pick % b.weights.len();
        let asset = b.returns[k].clone();
        let mut w = vec![0.0; b.weights.len()];
        w[k] = 1.0;
        let all = Book { weights: w, ..b.clone() };
        let alone = Book { returns: vec![asset.clone()], weights: vec![1.0], sectors: vec![None] };
        let params = AnalysisParams { confidence: conf, horizon: 5, rolling_window: 63, backtest_window: 50, ..Default::default() };
        let a_all = analyze(&aligned_of(&all), &params);
        let a_alone = analyze(&aligned_of(&alone), &params);
        prop_assert_eq!(&a_all.portfolio_returns, &asset);
        let own = closed_form_table(&asset, &params.var_settings());
        for (x, y) in a_all.var.iter().zip(&own).chain(a_alone.var.iter().zip(&own)) {
            prop_assert_eq!(x.model, y.model);
            prop_assert_eq!(x.var.to_bits(), y.var.to_bits(), "{:?}", x.model);
            prop_assert_eq!(x.cvar.to_bits(), y.cvar.to_bits(), "{:?}", x.model);
            prop_assert_eq!(&x.flag, &y.flag);
        }
        // NaN-safe comparison of the whole suite (NaN serialises as null).
        let json = |s: &ballast_core::suite::SuiteMetrics| serde_json::to_value(s).expect("serialises");
        prop_assert_eq!(json(&a_all.suite), json(&a_alone.suite));
        prop_assert_eq!(&a_all.top_episodes, &a_alone.top_episodes);
        for model in [VarModel::Historical, VarModel::Gaussian, VarModel::Ewma] {
            let s = settings(conf, 1);
            let d = decomposition(&all, model, &s);
            let direct = match model {
                VarModel::Historical => historical(&asset, &s),
                VarModel::Gaussian => gaussian(&asset, &s),
                _ => ewma(&asset, &s),
            };
            prop_assert!(close(d.var, direct.var, direct.var, 1e-9), "{model:?}: {} vs {}", d.var, direct.var);
            prop_assert!(close(d.positions[k].component_var, d.var, d.var, 1e-12));
            prop_assert!(close(d.positions[k].marginal_var, d.var, d.var, 1e-12));
            prop_assert!(close(d.positions[k].incremental_var, d.var, d.var, 1e-12));
            for (i, l) in d.positions.iter().enumerate() {
                if i != k {
                    prop_assert_eq!(l.component_var, 0.0);
                }
            }
        }
    }

    /// Attribution: return contributions sum to the annualised mean, risk contributions to the
    /// annualised volatility (each also equal to the figure of the portfolio series).
    #[test]
    fn attribution_adds_up(b in book()) {
        let al = aligned_of(&b);
        let a = analyze(&al, &AnalysisParams::default());
        let at = &a.attribution;
        let sum_ret: f64 = at.positions.iter().map(|l| l.return_contribution).sum();
        let sum_risk: f64 = at.positions.iter().map(|l| l.risk_contribution).sum();
        let scale_ret: f64 = at.positions.iter().map(|l| l.return_contribution.abs()).sum::<f64>() + at.annualized_mean.abs();
        let scale_risk: f64 = at.positions.iter().map(|l| l.risk_contribution.abs()).sum::<f64>() + at.annualized_volatility;
        prop_assert!(close(sum_ret, at.annualized_mean, scale_ret, EULER_REL_TOL));
        prop_assert!(close(sum_risk, at.annualized_volatility, scale_risk, EULER_REL_TOL));
        prop_assert!(close(at.annualized_mean, a.suite.annualized_mean, scale_ret, EULER_REL_TOL));
        prop_assert!(close(at.annualized_volatility, a.suite.annualized_volatility, at.annualized_volatility, 1e-9));
        let share: f64 = at.positions.iter().map(|l| l.risk_share).sum();
        prop_assert!(close(share, 1.0, scale_risk / at.annualized_volatility, EULER_REL_TOL));
        let sec_ret: f64 = at.sectors.iter().map(|l| l.return_contribution).sum();
        let sec_risk: f64 = at.sectors.iter().map(|l| l.risk_contribution).sum();
        prop_assert!(close(sec_ret, at.annualized_mean, scale_ret, EULER_REL_TOL));
        prop_assert!(close(sec_risk, at.annualized_volatility, scale_risk, EULER_REL_TOL));
        prop_assert_eq!(at.positions.len(), b.weights.len());
    }

    /// Every episode's depth and the maximum drawdown lie in [0, 1]; the deepest episode is the
    /// maximum drawdown.
    #[test]
    fn drawdowns_are_fractions(b in book()) {
        let a = analyze(&aligned_of(&b), &AnalysisParams { top_episodes: 1000, ..Default::default() });
        let mdd = a.suite.max_drawdown;
        prop_assert!((0.0..=1.0).contains(&mdd), "{}", mdd);
        prop_assert!((0.0..=1.0).contains(&a.suite.current_drawdown));
        prop_assert!((0.0..=1.0).contains(&a.suite.average_drawdown));
        for e in &a.top_episodes {
            prop_assert!(e.depth > 0.0 && e.depth <= 1.0, "{:?}", e);
            prop_assert!(e.depth <= mdd);
        }
        prop_assert_eq!(a.top_episodes.len(), a.suite.drawdown_episodes);
        if let Some(first) = a.top_episodes.first() {
            prop_assert_eq!(first.depth, mdd);
        }
    }

    /// Rolling backtest: the hits are exactly the returns below −VaR, the forecasts use only the
    /// returns before them, and the test p-values are probabilities.
    #[test]
    fn backtest_counts_and_p_values(b in book(), window in 20usize..50, conf in 0.9f64..0.995) {
        let r = b.portfolio();
        for model in VarModel::CLOSED_FORM {
            let bt = rolling_backtest(&r, window, conf, model, 0.94);
            prop_assert_eq!(bt.var.len(), r.len() - window);
            let below = bt.var.iter().zip(&r[window..]).filter(|(v, x)| **x < -**v).count();
            prop_assert_eq!(bt.exceedances, below);
            prop_assert_eq!(bt.hits.iter().filter(|h| **h).count(), below);
            prop_assert!((0.0..=1.0).contains(&bt.kupiec.p_value), "{:?}", bt.kupiec);
            prop_assert!(bt.kupiec.statistic >= -1e-9);
            let c = bt.christoffersen.p_value;
            prop_assert!((0.0..=1.0).contains(&c), "{:?}", bt.christoffersen);
            if model == VarModel::Historical {
                for (k, v) in bt.var.iter().enumerate() {
                    prop_assert!((v - historical_var(&r[k..k + window], conf)).abs() < 1e-15);
                }
            }
            prop_assert_eq!(bt.basel.is_some(), bt.var.len() >= 250);
        }
    }
}

/// The same portfolio through `portfolio_returns` and the helper (guards the helper).
#[test]
fn helper_portfolio_is_the_analysis_portfolio() {
    let b = Book {
        returns: vec![vec![0.01, -0.02, 0.03], vec![-0.01, 0.005, 0.0]],
        weights: vec![0.7, -0.2],
        sectors: vec![None, None],
    };
    let got = portfolio_returns(&aligned_of(&b));
    for (x, y) in got.iter().zip(b.portfolio()) {
        assert!((x - y).abs() < 1e-16);
    }
}

/// A multi-period historical scenario whose daily portfolio returns cancel (+10%, −10%: the sum
/// is 0 but the compounded return is −1%) must still be allocated so that the components add up
/// to the total.
#[test]
fn historical_horizon_components_add_up_when_daily_returns_cancel() {
    let mut a = vec![0.02; 20];
    a.extend([0.3, -0.1, 0.3]);
    a.extend(vec![0.02; 20]);
    let mut b = vec![0.0; 20];
    b.extend([-0.1, -0.1, -0.1]);
    b.extend(vec![0.0; 20]);
    let book = Book {
        returns: vec![a, b],
        weights: vec![0.5, 0.5],
        sectors: vec![None, None],
    };
    let s = settings(0.99, 2);
    let d = decomposition(&book, VarModel::Historical, &s);
    let direct = historical(&book.portfolio(), &s);
    // The two worst 2-period windows are (+10%, −10%) and (−10%, +10%): −1% each.
    assert!((d.var - 0.01).abs() < 1e-12, "{}", d.var);
    assert!((d.var - direct.var).abs() < 1e-15);
    let sum_v: f64 = d.positions.iter().map(|l| l.component_var).sum();
    let sum_c: f64 = d.positions.iter().map(|l| l.component_cvar).sum();
    assert!(
        (sum_v - d.var).abs() < 1e-12,
        "Σ components {sum_v} vs VaR {}",
        d.var
    );
    assert!(
        (sum_c - d.cvar).abs() < 1e-12,
        "Σ components {sum_c} vs CVaR {}",
        d.cvar
    );
}
