//! Output of `ballast analyze`: a readable table, or one JSON object (keys documented in
//! `docs/cli.md`; later versions add keys but never rename one without a note).

use ballast_core::correlation_analysis::CorrelationAnalysis;
use ballast_core::decomposition::RiskLine;
use ballast_core::figures::{
    format_value, headline_figures, standard_var_figures, suite_figures, var_figures,
};
use ballast_core::mc_batch::{run_batch, McBatch};
use ballast_core::montecarlo::McModel;
use ballast_core::pipeline::PipelineOutput;
use ballast_core::var_models::VarEstimate;
use serde_json::{json, Map, Value};

fn num(x: Option<f64>) -> Value {
    match x {
        Some(v) if v.is_finite() => json!(v),
        _ => Value::Null,
    }
}

fn f(x: f64) -> Value {
    num(Some(x))
}

/// Monte Carlo figures: each model at 1 period (95% and 99%) and at the chosen confidence and
/// horizon.
pub struct McRuns {
    pub standard: Vec<VarEstimate>,
    pub chosen: Vec<VarEstimate>,
}

/// Run the Monte Carlo models (`paths = 0` skips them): one batch at 1 period (95% and 99%)
/// and, for a longer horizon, one at the chosen confidence and horizon.
pub fn monte_carlo(out: &PipelineOutput, paths: usize, seed: u64) -> Result<McRuns, String> {
    let mut runs = McRuns {
        standard: Vec::new(),
        chosen: Vec::new(),
    };
    if paths == 0 {
        return Ok(runs);
    }
    let a = &out.aligned;
    let params = &out.analysis.params;
    let batch = |horizon: usize, confidences: Vec<f64>| McBatch {
        models: McModel::ALL.to_vec(),
        paths,
        horizon,
        seed,
        confidences,
        weights: a.weights.clone(),
    };
    let one = run_batch(
        &a.returns,
        &batch(1, vec![params.confidence, 0.95, 0.99]),
        |_, _| {},
    );
    for chunk in one.chunks(3) {
        if params.horizon <= 1 {
            runs.chosen.push(chunk[0].clone());
        }
        runs.standard.extend(chunk[1..].iter().cloned());
    }
    if params.horizon > 1 {
        runs.chosen = run_batch(
            &a.returns,
            &batch(params.horizon, vec![params.confidence]),
            |_, _| {},
        );
    }
    Ok(runs)
}

fn risk_line(l: &RiskLine, value: f64) -> Value {
    json!({
        "name": l.name, "weight": f(l.weight),
        "marginal_var": f(l.marginal_var), "component_var": f(l.component_var),
        "pct_var": f(l.pct_var), "incremental_var": f(l.incremental_var),
        "marginal_cvar": f(l.marginal_cvar), "component_cvar": f(l.component_cvar),
        "pct_cvar": f(l.pct_cvar), "incremental_cvar": f(l.incremental_cvar),
        "component_var_value": f(l.component_var * value),
        "component_cvar_value": f(l.component_cvar * value),
    })
}

fn estimate_json(e: &VarEstimate, value: f64) -> Value {
    json!({
        "model": e.model.key(), "label": e.model.label(), "confidence": e.confidence,
        "horizon": e.horizon, "var": f(e.var), "cvar": f(e.cvar),
        "var_value": f(e.var * value), "cvar_value": f(e.cvar * value),
        "method": e.method, "flag": e.flag,
    })
}

/// The `--json` object.
fn correlation_json(c: &CorrelationAnalysis) -> Value {
    let e = &c.estimate;
    let n = e.correlation.n;
    let rows = |m: &ballast_core::covariance::Matrix| -> Vec<Vec<Value>> {
        (0..n)
            .map(|i| (0..n).map(|j| f(m.get(i, j))).collect())
            .collect()
    };
    let names = |members: &[usize]| -> Vec<String> {
        members
            .iter()
            .filter_map(|i| c.symbols.get(*i).cloned())
            .collect()
    };
    let cluster = |k: &ballast_core::clustering::ThresholdCluster| json!({"members": names(&k.members), "weight": f(k.weight), "gross_weight": f(k.gross_weight)});
    let d = &c.diversification;
    json!({
        "estimator": e.estimator.key(),
        "estimator_label": e.estimator.label(),
        "shrinkage": e.shrinkage.map(f),
        "notes": e.notes,
        "symbols": c.symbols,
        "correlation": rows(&e.correlation),
        "covariance": rows(&e.covariance),
        "linkage": c.params.linkage.key(),
        "order": names(&c.dendrogram.leaf_order),
        "merges": c.dendrogram.merges.iter().map(|m| json!([m.a, m.b, f(m.height), m.size])).collect::<Vec<_>>(),
        "threshold": c.params.threshold,
        "clusters": c.clusters.iter().map(cluster).collect::<Vec<_>>(),
        "largest_cluster": c.largest_cluster.as_ref().map(cluster),
        "average_correlation": f(c.average_correlation),
        "diversification": {
            "diversification_ratio": f(d.diversification_ratio),
            "effective_number_of_bets": f(d.effective_number_of_bets),
            "herfindahl": f(d.herfindahl),
            "effective_number_of_positions": f(d.effective_number_of_positions),
        },
        "breakdowns": c.breakdowns.iter().map(|b| json!({
            "kind": format!("{:?}", b.kind).to_lowercase(), "start": b.start.to_string(),
            "end": b.end.to_string(), "peak": b.peak.to_string(), "peak_value": f(b.peak_value),
            "days": b.days,
        })).collect::<Vec<_>>(),
    })
}

/// The `--json` object.
pub fn json(out: &PipelineOutput, mc: &McRuns, correlation: &CorrelationAnalysis) -> String {
    let a = &out.aligned;
    let r = &a.report;
    let an = &out.analysis;
    let m = &an.metrics;
    let per = r.frequency.label();
    let mut metrics = Map::new();
    for f in headline_figures(an, a) {
        metrics.insert(f.key.clone(), num(f.value));
    }
    let mut benchmark_metrics = Map::new();
    for g in suite_figures(an, a) {
        for f in g.figures {
            if an.benchmark_suite.is_some() && g.id != "benchmark" {
                benchmark_metrics.insert(f.key.clone(), num(f.benchmark_value));
            }
            metrics.insert(f.key.clone(), num(f.value));
        }
    }
    for f in standard_var_figures(an, a)
        .into_iter()
        .chain(mc.standard.iter().flat_map(|e| var_figures(e, per)))
    {
        metrics.insert(f.key.clone(), num(f.value));
    }
    let positions: Vec<Value> = a
        .positions
        .iter()
        .map(|p| {
            json!({"symbol": p.symbol, "quantity": num(p.quantity), "price": p.price,
                   "value": p.value, "weight": p.weight, "sector": p.sector})
        })
        .collect();
    let files: Vec<Value> = out
        .loaded
        .imports
        .iter()
        .map(|i| json!({"file": i.file, "layout": format!("{:?}", i.layout), "series": i.series.len(), "notes": i.notes}))
        .collect();
    let value = a.total_value;
    let models: Vec<Value> = an
        .var
        .iter()
        .chain(&mc.chosen)
        .map(|e| estimate_json(e, value))
        .collect();
    let d = &an.decomposition;
    let b = &an.backtest;
    let episodes: Vec<Value> = an
        .top_episodes
        .iter()
        .map(|e| {
            json!({"peak": e.peak.to_string(), "start": e.start.to_string(),
                   "trough": e.trough.to_string(), "recovery": e.recovery.map(|d| d.to_string()),
                   "depth": f(e.depth), "trading_days": e.trading_days,
                   "calendar_days": e.calendar_days, "days_underwater": e.days_underwater,
                   "open": e.recovery.is_none()})
        })
        .collect();
    let monthly: Vec<Value> = an
        .monthly
        .iter()
        .map(|y| {
            json!({"year": y.year, "months": y.months.iter().map(|m| num(*m)).collect::<Vec<_>>(),
                   "year_return": f(y.year_return)})
        })
        .collect();
    let last = |s: &ballast_core::rolling::Rolling| num(s.values.last().copied());
    let contrib = |l: &ballast_core::attribution::ContributionLine| {
        json!({"name": l.name, "weight": f(l.weight), "return_contribution": f(l.return_contribution),
               "risk_contribution": f(l.risk_contribution), "risk_share": f(l.risk_share)})
    };
    let v = json!({
        "window": {
            "start": r.start.to_string(),
            "end": r.end.to_string(),
            "observations": r.observations,
            "periods_per_year": r.periods_per_year,
            "frequency": r.frequency.label(),
            "notes": r.notes,
            "unused_symbols": r.unused_symbols,
        },
        "params": {
            "risk_free_annual": an.params.risk_free_annual,
            "confidence": an.params.confidence,
            "horizon": an.params.horizon,
            "ewma_lambda": an.params.ewma_lambda,
            "var_model": an.params.var_model.key(),
            "rolling_window": an.params.rolling_window,
            "backtest_window": an.params.backtest_window,
            "top_episodes": an.params.top_episodes,
            "cagr_convention": format!("{:?}", an.params.cagr_convention).to_lowercase(),
        },
        "metrics": Value::Object(metrics),
        "benchmark_metrics": if benchmark_metrics.is_empty() { Value::Null } else { Value::Object(benchmark_metrics) },
        "var": {
            "confidence": an.params.confidence,
            "horizon": an.params.horizon,
            "portfolio_value": value,
            "models": models,
        },
        "decomposition": {
            "model": d.model.key(), "note": d.note, "confidence": d.confidence,
            "horizon": d.horizon, "var": f(d.var), "cvar": f(d.cvar),
            "positions": d.positions.iter().map(|l| risk_line(l, value)).collect::<Vec<_>>(),
            "sectors": d.sectors.iter().map(|l| risk_line(l, value)).collect::<Vec<_>>(),
        },
        "backtest": {
            "model": b.model.key(), "window": b.window, "confidence": b.confidence,
            "forecasts": b.var.len(), "exceedances": b.exceedances,
            "expected_exceedances": f(b.var.len() as f64 * (1.0 - b.confidence)),
            "kupiec": {"statistic": f(b.kupiec.statistic), "p_value": f(b.kupiec.p_value)},
            "christoffersen": {"statistic": f(b.christoffersen.statistic), "p_value": f(b.christoffersen.p_value)},
            "basel": b.basel.map(|z| json!({"days": z.days, "exceedances": z.exceedances,
                                            "zone": format!("{:?}", z.zone).to_lowercase()})),
        },
        "drawdown": {
            "max_drawdown_peak": m.max_drawdown_peak.to_string(),
            "max_drawdown_trough": m.max_drawdown_trough.to_string(),
            "max_drawdown_recovery": m.max_drawdown_recovery.map(|d| d.to_string()),
            "episode_count": an.suite.drawdown_episodes,
            "episodes": episodes,
        },
        "monthly_returns": monthly,
        "rolling": {
            "window": an.rolling.window,
            "last": {
                "volatility": last(&an.rolling.volatility),
                "sharpe": last(&an.rolling.sharpe),
                "beta": an.rolling.beta.as_ref().map(last),
                "correlation": an.rolling.correlation.as_ref().map(last),
            },
        },
        "attribution": {
            "annualized_mean": f(an.attribution.annualized_mean),
            "annualized_volatility": f(an.attribution.annualized_volatility),
            "positions": an.attribution.positions.iter().map(contrib).collect::<Vec<_>>(),
            "sectors": an.attribution.sectors.iter().map(contrib).collect::<Vec<_>>(),
        },
        "correlation": correlation_json(correlation),
        "benchmark": a.benchmark.as_ref().map(|b| b.symbol.clone()),
        "portfolio": {
            "total_value": a.total_value,
            "cash": a.cash,
            "cash_weight": a.cash_weight,
            "positions": positions,
        },
        "files": files,
    });
    serde_json::to_string_pretty(&v).unwrap_or_else(|e| format!("{{\"error\": \"{e}\"}}"))
}

fn figure_rows(s: &mut String, figs: &[ballast_core::figures::Figure]) {
    let w = figs
        .iter()
        .map(|f| f.label.chars().count())
        .max()
        .unwrap_or(0);
    for f in figs {
        s.push_str(&format!(
            "{:<w$}  {:>10}   {}\n",
            f.label,
            format_value(f),
            f.convention,
            w = w
        ));
    }
}

/// The human-readable table.
pub fn table(out: &PipelineOutput, mc: &McRuns, correlation: &CorrelationAnalysis) -> String {
    let a = &out.aligned;
    let r = &a.report;
    let an = &out.analysis;
    let mut s = String::new();
    s.push_str(&format!(
        "Window {} – {} · {} {} returns · {}/yr\n",
        r.start,
        r.end,
        r.observations,
        r.frequency.label(),
        r.periods_per_year
    ));
    for n in &r.notes {
        s.push_str(&format!("  note: {n}\n"));
    }
    s.push('\n');
    figure_rows(&mut s, &headline_figures(an, a));
    for g in suite_figures(an, a) {
        s.push_str(&format!("\n{}\n", g.title));
        figure_rows(&mut s, &g.figures);
    }
    s.push_str(&format!(
        "\nVaR and CVaR at {}% over {} period(s), portfolio value {:.2}\n",
        an.params.confidence * 100.0,
        an.params.horizon,
        a.total_value
    ));
    for e in an.var.iter().chain(&mc.chosen) {
        s.push_str(&format!(
            "{:<36} VaR {:>8.3}%  CVaR {:>8.3}%   {}\n",
            e.model.label(),
            e.var * 100.0,
            e.cvar * 100.0,
            e.method
        ));
        if let Some(flag) = &e.flag {
            s.push_str(&format!("{:<36} ! {flag}\n", ""));
        }
    }
    let b = &an.backtest;
    s.push_str(&format!(
        "\nBacktest ({}, {}-period window, {}%): {} exceedances in {} forecasts (expected {:.1}); Kupiec p = {:.3}; Christoffersen p = {:.3}{}\n",
        b.model.label(),
        b.window,
        b.confidence * 100.0,
        b.exceedances,
        b.var.len(),
        b.var.len() as f64 * (1.0 - b.confidence),
        b.kupiec.p_value,
        b.christoffersen.p_value,
        b.basel
            .map(|z| format!("; Basel zone {:?} ({} of the last {} at 99%)", z.zone, z.exceedances, z.days))
            .unwrap_or_default()
    ));
    let c = correlation;
    let d = &c.diversification;
    s.push_str(&format!(
        "\nCorrelation ({}): average {:.2}; diversification ratio {:.2}; effective number of bets {:.1}; effective positions {:.1}\n",
        c.estimate.estimator.label(),
        c.average_correlation,
        d.diversification_ratio,
        d.effective_number_of_bets,
        d.effective_number_of_positions
    ));
    for k in c.clusters.iter().filter(|k| k.members.len() > 1) {
        let names: Vec<String> = k
            .members
            .iter()
            .filter_map(|i| c.symbols.get(*i).cloned())
            .collect();
        s.push_str(&format!(
            "  cluster |ρ| ≥ {}: {} ({:.2}% of value)\n",
            c.params.threshold,
            names.join(", "),
            k.weight * 100.0
        ));
    }
    s.push_str("\nLosses (VaR, CVaR, drawdowns) are shown as positive percentages.\n");
    s
}
